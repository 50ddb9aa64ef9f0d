package dev.drawbridge.installer;

import dev.drawbridge.adminclient.Connectors;
import dev.drawbridge.adminclient.HttpAdminApi;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.model.api.ConnectorStatus;
import dev.drawbridge.model.api.ConnectorView;
import dev.drawbridge.model.api.RegistrationTokenRequest;
import dev.drawbridge.model.api.RegistrationTokenView;
import dev.drawbridge.testsupport.time.Await;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The programs as the packages install them, run from a scratch root ({@code dpkg -x}) with their jlinked runtimes:
 * {@code --version} of each; then the installed server started with the package's settings file (data, ports and
 * address moved by DRAWBRIDGE_* variables, which win over the file), the admin API asked for a registration token, the
 * install command it returns run as it is with the installed connector (its state folder moved by
 * DRAWBRIDGE_CONNECTOR_STATE_DIR), and the installed connector's {@code run} seen connected by the server.
 */
class InstalledProgramsTest {
    private static final Pattern ADMIN_URL = Pattern.compile("Admin API: (https://\\S+)/api/v1/");
    private static final Pattern CREDENTIAL = Pattern.compile("Admin credential \\(shown once, keep it safe\\): (\\S+)");

    @TempDir
    static Path dir;
    static Path root;

    @BeforeAll
    static void install() throws Exception {
        Packages.assumeTool("dpkg-deb", "dpkg");
        root = Files.createDirectories(dir.resolve("root"));
        for (String program : List.of("connector", "server", "console")) {
            Packages.run(List.of("dpkg-deb", "-x", Packages.deb(program).toString(), root.toString())).ok();
        }
    }

    private static String launcher(String program) {
        return root.resolve("opt/drawbridge-" + program + "/bin/drawbridge-" + program).toString();
    }

    @Test
    void everyInstalledProgramPrintsTheBuildsVersion() throws Exception {
        for (String program : List.of("server", "connector", "console")) {
            Packages.Result r = Packages.run(List.of(launcher(program), "--version"), Map.of(), Duration.ofMinutes(1)).ok();
            assertThat(r.out().strip()).isEqualTo("drawbridge-" + program + " " + Packages.VERSION);
        }
    }

    @Test
    void theInstalledConnectorRegistersWithTheInstallCommandAndConnectsToTheInstalledServer() throws Exception {
        Path data = dir.resolve("server-data"), log = dir.resolve("server.log"), state = dir.resolve("connector-state");
        Map<String, String> serverEnv = Map.of("DRAWBRIDGE_DATA_DIR", data.toString(), "DRAWBRIDGE_PORT", "0", "DRAWBRIDGE_TUNNEL_PORT", "0",
                "DRAWBRIDGE_BIND", "127.0.0.1");
        ProcessBuilder sb = new ProcessBuilder(launcher("server"), "serve", "--config", root.resolve("etc/drawbridge/server.yaml").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        sb.environment().putAll(serverEnv);
        Process server = sb.start();
        Process connector = null;
        try {
            Await.until("the installed server prints its admin URL", Duration.ofSeconds(90),
                    () -> !server.isAlive() || ADMIN_URL.matcher(read(log)).find());
            assertThat(server.isAlive()).as("the server runs; its output: %s", read(log)).isTrue();
            URI admin = URI.create(find(ADMIN_URL, read(log)));
            String credential = find(CREDENTIAL, read(log));
            try (HttpAdminApi api = HttpAdminApi.to(admin).trust(trust(data.resolve("pki/server-ca.pem"))).token(() -> credential)
                    .timeout(Duration.ofSeconds(30)).build()) {
                RegistrationTokenView token = api.connectors().createRegistrationToken(new RegistrationTokenRequest(null, 10));
                List<String> install = new ArrayList<>(Arrays.asList(token.installCommand().split(" ")));
                assertThat(install.getFirst()).isEqualTo("drawbridge-connector");
                install.set(0, launcher("connector"));
                Map<String, String> connectorEnv = new HashMap<>(Map.of(
                        "DRAWBRIDGE_CONNECTOR_CONFIG", root.resolve("etc/drawbridge-connector/connector.yaml").toString(),
                        "DRAWBRIDGE_CONNECTOR_STATE_DIR", state.toString()));
                Packages.Result registered = Packages.run(install, connectorEnv, Duration.ofMinutes(2));
                assertThat(registered.exit()).as(registered.err()).isZero();
                assertThat(registered.out()).contains("Registered connector", "Start it with: drawbridge-connector run")
                        .doesNotContain("--state-dir");
                assertThat(state.resolve("connector.properties")).exists();

                ProcessBuilder cb = new ProcessBuilder(launcher("connector"), "run").redirectErrorStream(true)
                        .redirectOutput(dir.resolve("connector.log").toFile());
                cb.environment().putAll(connectorEnv);
                connector = cb.start();
                Process running = connector;
                Await.until("the installed connector is connected", Duration.ofSeconds(90), () -> !running.isAlive() || connected(api));
                assertThat(running.isAlive()).as("the connector runs; its output: %s", read(dir.resolve("connector.log"))).isTrue();
                ConnectorView view = api.connectors().list(Paging.DEFAULT, Connectors.Filter.NONE).items().getFirst();
                assertThat(view.version()).isEqualTo(Packages.VERSION);
                assertThat(view.status()).isEqualTo(ConnectorStatus.ACTIVE);
                // The package's settings turn auto-update on: 'run' supervises the connector, a child JVM of the package's
                // own runtime (whose bin/java jpackage would otherwise strip).
                assertThat(running.children().map(c -> c.info().command().orElse("")).toList()).as("the supervised connector")
                        .singleElement().satisfies(c -> assertThat(c).endsWith("/opt/drawbridge-connector/lib/runtime/bin/java"));
            }
        } finally {
            if (connector != null) {
                connector.destroy();
                connector.waitFor();
            }
            server.destroy();
            server.waitFor();
        }
    }

    private static boolean connected(HttpAdminApi api) {
        try {
            return api.connectors().list(Paging.DEFAULT, Connectors.Filter.NONE).items().stream().anyMatch(c -> c.tunnels() > 0);
        } catch (Exception e) {
            return false;
        }
    }

    private static KeyStore trust(Path pem) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("server-ca", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem))));
        return ks;
    }

    private static String find(Pattern p, String text) {
        Matcher m = p.matcher(text);
        assertThat(m.find()).as("%s in %s", p, text).isTrue();
        return m.group(1);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
