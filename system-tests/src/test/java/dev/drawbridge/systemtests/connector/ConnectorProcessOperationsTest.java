package dev.drawbridge.systemtests.connector;

import dev.drawbridge.adminclient.Connectors;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.connector.http.OutboundProxy;
import dev.drawbridge.connector.identity.CertificateRenewal;
import dev.drawbridge.connector.identity.ConnectorIdentity;
import dev.drawbridge.model.api.ConnectorEventType;
import dev.drawbridge.model.api.MaintenanceBody;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.RegistrationTokenView;
import dev.drawbridge.proxy.tunnel.TunnelConnection;
import dev.drawbridge.systemtests.operations.Scrape;
import dev.drawbridge.testsupport.net.ForwardProxy;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.time.Await;
import dev.drawbridge.testsupport.time.MutableClock;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connector's operations against a connector running as its own processes, as the package runs it ({@code run
 * --auto-update}: a supervisor JVM and the connector JVM it starts), registered by a {@code register} process, both
 * through an HTTP forward proxy that wants Basic credentials; the server in this JVM. One connector, one walk:
 * <ol>
 *   <li>its certificate was issued 183 days ago (the server's clock set back while registering: a genuine, older
 *   certificate), so the running connector renews it by itself (the hidden {@code --renewal-check 1s} only makes the
 *   age check frequent): a CERTIFICATE_RENEWED event, its tunnels on the new serial;</li>
 *   <li>registration, the tunnel URL lookup, the renewal and the tunnels went through the proxy with its credentials,
 *   the internal app was reached directly;</li>
 *   <li>{@code --management-port 0}: the port it chose is in its output ("Metrics and health: http://…"), which is
 *   where an operator reads it too; {@code /metrics} moves with the requests sent through it;</li>
 *   <li>its group in maintenance mode: the app answers the maintenance page, no request reaches the connector, and the
 *   process keeps its tunnels (ready, both tunnels on the server);</li>
 *   <li>{@code /health/ready} is 503 while the server is stopped (the process stays live) and 200 again once the
 *   server is back on the same ports, requests served again.</li>
 * </ol>
 */
@Timeout(240)
class ConnectorProcessOperationsTest {
    private static final String USER = "svc-connector", PASSWORD = "pr0xy-s3cret";
    private static final Pattern MANAGEMENT = Pattern.compile("Metrics and health: http://127\\.0\\.0\\.1:(\\d+)/metrics");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;
    static MutableClock clock = new MutableClock();
    static SampleApp app;
    static DrawbridgeStack stack;
    static ForwardProxy proxy;
    static ConnectorProcesses processes;
    static String url;
    static Path log;

    @BeforeAll
    static void start() throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")).withClock(clock));
        url = stack.publish("Payroll", "payroll", app.baseUri(), PreAuthentication.PASSTHROUGH);
        proxy = ForwardProxy.start(Optional.of(USER), Optional.of(PASSWORD));
        processes = new ConnectorProcesses(dir.resolve("work"));
    }

    @AfterAll
    @SuppressWarnings("try")
    static void stop() throws Exception {
        try (AutoCloseable a = app; AutoCloseable s = stack; AutoCloseable p = proxy; AutoCloseable c = processes) {
            // the connector processes first, then the proxy, the server and the app
        }
    }

    @Test
    void theConnectorProcessRenewsReportsMetricsAndHealthKeepsItsTunnelsInMaintenanceThroughTheProxy() throws Exception {
        Path state = dir.resolve("connector");
        Path password = Files.writeString(dir.resolve("proxy-password"), PASSWORD + "\n");
        RegistrationTokenView token = stack.registrationToken(null, 10);
        // Registered with the server's clock 183 days back: a genuine certificate, issued then (it must connect before the
        // server's sweep of connectors never seen for 10 days, a minute after its start).
        Duration age = Duration.ofDays(183);
        clock.advance(age.negated());
        try {
            Process register = processes.command(dir.resolve("register.log"), "register", "--server", stack.adminUrl().toString(), "--token",
                    token.token(), "--ca-sha256", token.serverCaSha256(), "--state-dir", state.toString(), "--outbound-proxy",
                    proxy.uri().toString(), "--outbound-proxy-user", USER, "--outbound-proxy-password-file", password.toString());
            assertThat(register.waitFor(60, TimeUnit.SECONDS)).as("register finished").isTrue();
            assertThat(register.exitValue()).as(Files.readString(dir.resolve("register.log"))).isZero();
        } finally {
            clock.advance(age);
        }
        ConnectorIdentity registered = ConnectorIdentity.load(state);
        String connectorId = registered.connectorId();
        assertThat(CertificateRenewal.due(registered.certificate(), Instant.now())).as("issued 183 days ago").isTrue();
        assertThat(OutboundProxy.load(state)).as("register stored the proxy for run").isPresent();

        log = dir.resolve("connector.log");
        Process supervisor = processes.supervisor(state, log, "--tunnels", "2", "--management-port", "0", "--renewal-check", "1s");
        Await.until("the management port in the connector's output", Duration.ofSeconds(60),
                () -> !supervisor.isAlive() || MANAGEMENT.matcher(output()).find());
        assertThat(supervisor.isAlive()).as(output()).isTrue();
        Matcher m = MANAGEMENT.matcher(output());
        assertThat(m.find()).isTrue();
        int port = Integer.parseInt(m.group(1));
        await("ready: both tunnels connected", () -> bothTunnelsReady(port));

        // 1. Renewed by itself, the tunnels moved to the new certificate.
        await("the CERTIFICATE_RENEWED event", () -> events(connectorId, ConnectorEventType.CERTIFICATE_RENEWED) == 1);
        String registeredSerial = registered.certificate().getSerialNumber().toString(16);
        // The server records the event before its answer reaches the connector's disk.
        await("the renewed certificate stored", () -> !serialStored(state).equals(registeredSerial));
        String renewed = serialStored(state);
        assertThat(Files.readString(state.resolve("connector.crt.previous")))
                .isEqualTo(ConnectorIdentity.pem("CERTIFICATE", registered.certificate().getEncoded()));
        await("both tunnels on the renewed certificate", () -> {
            var mine = stack.server().registry().tunnels().stream().filter(t -> t.connectorId().equals(connectorId)).toList();
            return mine.size() == 2 && mine.stream().map(TunnelConnection::certSerial).allMatch(renewed::equals);
        });
        await("the renewal in the connector's log", () -> output().contains("renewed this connector's certificate: serial " + renewed));

        // 2. Everything to the server through the proxy, with its credentials; the internal app directly.
        String admin = stack.adminUrl().getHost() + ":" + stack.adminUrl().getPort();
        URI tunnel = URI.create(ConnectorIdentity.load(state).tunnelUrl());
        String tunnelTarget = tunnel.getHost() + ":" + tunnel.getPort();
        assertThat(proxy.connects()).as("every CONNECT had the credentials").isNotEmpty().allMatch(ForwardProxy.Connect::allowed);
        assertThat(proxy.connects()).extracting(ForwardProxy.Connect::target).as("registration and lookups; the tunnels and the renewal")
                .contains(admin).filteredOn(tunnelTarget::equals).hasSizeGreaterThanOrEqualTo(4);
        assertThat(proxy.connects()).extracting(ForwardProxy.Connect::target).noneMatch(t -> t.endsWith(":" + app.port()));
        assertThat(output()).doesNotContain(PASSWORD, Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));

        // 3. Metrics move with the traffic.
        String appId = stack.adminApi().apps().list(Paging.LARGEST).items().getFirst().id();
        String upstream = "drawbridge_connector_upstream_seconds_count";
        Scrape before = Scrape.of(port);
        assertThat(before.value("drawbridge_connector_tunnels", "state", "connected")).isEqualTo(2.0);
        for (int i = 0; i < 5; i++) {
            assertThat(request("echo/metrics-" + i).getStatus()).isEqualTo(200);
        }
        await("the five requests in the connector's metrics", () -> scrape(port).value(upstream, "app", appId, "outcome", "2xx")
                - before.value(upstream, "app", appId, "outcome", "2xx") >= 5);
        Scrape after = Scrape.of(port);
        assertThat(after.value(upstream, "app", appId, "outcome", "2xx") - before.value(upstream, "app", appId, "outcome", "2xx")).isEqualTo(5.0);
        assertThat(after.value("drawbridge_connector_tunnel_bytes_total", "direction", "to_server"))
                .isGreaterThan(before.value("drawbridge_connector_tunnel_bytes_total", "direction", "to_server"));

        // 4. Maintenance: the maintenance page, nothing reaches the connector, its tunnels stay.
        stack.adminApi().connectorGroups().startMaintenance("Default", new MaintenanceBody("Patching the connector hosts"));
        try {
            ContentResponse page = request("echo/in-maintenance");
            assertThat(page.getStatus()).isEqualTo(503);
            assertThat(page.getContentAsString()).contains("under maintenance", "Patching the connector hosts");
            assertThat(scrape(port).value(upstream, "app", appId, "outcome", "2xx")).as("no request reached the connector")
                    .isEqualTo(after.value(upstream, "app", appId, "outcome", "2xx"));
            assertThat(stack.server().registry().tunnelCount(connectorId)).as("the process keeps its tunnels").isEqualTo(2);
            assertThat(get(port, "/health/ready").statusCode()).isEqualTo(200);
            assertThat(supervisor.isAlive()).isTrue();
        } finally {
            stack.adminApi().connectorGroups().endMaintenance("Default");
        }
        assertThat(request("echo/after-maintenance").getStatus()).as("at once after it ends").isEqualTo(200);

        // 5. Readiness follows the server.
        stack.stopServer();
        await("not ready while the server is stopped", () -> get(port, "/health/ready").statusCode() == 503);
        assertThat(get(port, "/health/ready").body()).contains("0 of 2 tunnels connected to the server");
        assertThat(get(port, "/health/live").statusCode()).isEqualTo(200);
        int connects = proxy.connects().size();
        stack.startServerAgain();
        await("ready again with the server back", () -> bothTunnelsReady(port));
        assertThat(request("echo/server-back").getStatus()).isEqualTo(200);
        assertThat(proxy.connects().size()).as("the tunnels came back through the proxy").isGreaterThanOrEqualTo(connects + 2);
        assertThat(proxy.connects()).allMatch(ForwardProxy.Connect::allowed);
        assertThat(supervisor.isAlive()).isTrue();
        assertThat(events(connectorId, ConnectorEventType.CERTIFICATE_RENEWED)).as("renewed once").isEqualTo(1);
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    /** Waits up to a minute for {@code condition}; failing, shows the connector's output. */
    private static void await(String what, Condition condition) throws Exception {
        try {
            Await.until(what, Duration.ofSeconds(60), () -> {
                try {
                    return condition.holds();
                } catch (Exception e) {
                    return false;
                }
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n--- connector output:\n" + output(), e);
        }
    }

    private static String output() {
        try {
            return log == null || !Files.exists(log) ? "" : Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    private static String serialStored(Path state) throws IOException {
        return ConnectorIdentity.load(state).certificate().getSerialNumber().toString(16);
    }

    private static boolean bothTunnelsReady(int port) throws IOException, InterruptedException {
        HttpResponse<String> ready = get(port, "/health/ready");
        return ready.statusCode() == 200 && ready.body().contains("2 of 2 tunnels connected to the server");
    }

    private static ContentResponse request(String path) throws Exception {
        return stack.http().newRequest(URI.create(url + path)).timeout(20, TimeUnit.SECONDS).send();
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Scrape scrape(int port) throws IOException, InterruptedException {
        return Scrape.of(port);
    }

    private static int events(String connectorId, ConnectorEventType type) throws Exception {
        return stack.adminApi().connectors().events(Paging.LARGEST, new Connectors.EventFilter(connectorId, type, null, null)).items().size();
    }
}
