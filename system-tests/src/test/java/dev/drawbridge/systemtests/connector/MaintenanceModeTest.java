package dev.drawbridge.systemtests.connector;

import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.cli.DrawbridgeCli;
import dev.drawbridge.connector.Connector;
import dev.drawbridge.model.api.ConnectorGroupView;
import dev.drawbridge.model.api.MaintenanceBody;
import dev.drawbridge.model.api.NameBody;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.time.Await;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Maintenance mode of a connector group: no new request goes to its connectors, requests in flight finish, its apps (and
 * only its apps) answer a maintenance page with the admins' message, tunnels stay up so that ending it is immediate; the
 * admin API validates the message, audits both changes and shows the state; the CLI starts, ends and lists it.
 */
class MaintenanceModeTest {
    @TempDir
    static Path dir;
    static SampleApp app;
    static DrawbridgeStack stack;
    static Connector connector;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        url = stack.publish("Payroll", "payroll", app.baseUri(), PreAuthentication.PASSTHROUGH);
        connector = stack.startConnector(dir.resolve("connector"), 2);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
        app.close();
    }

    @AfterEach
    void endMaintenance() throws Exception {
        stack.adminApi().connectorGroups().endMaintenance("Default");
    }

    private static ContentResponse get(String path) throws Exception {
        return stack.http().newRequest(URI.create(url + path)).timeout(30, TimeUnit.SECONDS).send();
    }

    @Test
    void newRequestsGetTheMaintenancePageWhileRequestsInFlightFinish() throws Exception {
        CompletableFuture<ContentResponse> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return get("slow?ms=1500");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Await.until("the slow request at the app", Duration.ofSeconds(10), () -> app.slowRequestsInFlight() == 1);

        ConnectorGroupView g = stack.adminApi().connectorGroups().startMaintenance("Default",
                new MaintenanceBody("Payroll moves to the new server; back at 10:00 <b>UTC</b>"));
        assertThat(g.maintenance()).isNotNull();
        assertThat(g.maintenance().message()).isEqualTo("Payroll moves to the new server; back at 10:00 <b>UTC</b>");

        ContentResponse page = get("echo/after");
        assertThat(page.getStatus()).isEqualTo(503);
        assertThat(page.getHeaders().get("Retry-After")).isEqualTo("300");
        assertThat(page.getContentAsString()).contains("under maintenance", "Payroll moves to the new server; back at 10:00 &lt;b&gt;UTC&lt;/b&gt;")
                .doesNotContain("<b>UTC");
        assertThat(app.slowRequestsInFlight()).as("the request in flight is still running").isEqualTo(1);
        String appId = stack.adminApi().apps().list(Paging.LARGEST).items().getFirst().id();
        assertThat(stack.adminApi().apps().test(appId).error()).as("the admin's app test says why").contains("maintenance mode");

        ContentResponse finished = inFlight.get(30, TimeUnit.SECONDS);
        assertThat(finished.getStatus()).isEqualTo(200);
        assertThat(finished.getContentAsString()).contains("slow done after 1500 ms");
        assertThat(stack.server().registry().tunnelCount(connector.connectorId())).as("tunnels stay up").isEqualTo(2);

        ConnectorGroupView ended = stack.adminApi().connectorGroups().endMaintenance("Default");
        assertThat(ended.maintenance()).isNull();
        assertThat(get("echo/back").getStatus()).as("at once after it ends").isEqualTo(200);
    }

    @Test
    void onlyTheGroupInMaintenanceIsAffectedAndAChangedMessageKeepsItsStart() throws Exception {
        stack.adminApi().connectorGroups().create(NameBody.named("Branch"));
        try {
            ConnectorGroupView first = stack.adminApi().connectorGroups().startMaintenance("Branch", new MaintenanceBody(null));
            assertThat(get("echo/x").getStatus()).as("an app of another group").isEqualTo(200);
            ConnectorGroupView again = stack.adminApi().connectorGroups().startMaintenance("Branch", new MaintenanceBody("Moving racks"));
            assertThat(again.maintenance().since()).isEqualTo(first.maintenance().since());
            assertThat(again.maintenance().message()).isEqualTo("Moving racks");
            assertThat(stack.adminApi().connectorGroups().get("Branch").maintenance()).isEqualTo(again.maintenance());

            var audit = stack.api("GET", "audit-logs", null);
            assertThat(audit.body().toString()).contains("connector-group.maintenance.start");
            stack.adminApi().connectorGroups().endMaintenance("Branch");
            assertThat(stack.api("GET", "audit-logs", null).body().toString()).contains("connector-group.maintenance.end");
        } finally {
            stack.adminApi().connectorGroups().endMaintenance("Branch");
        }
    }

    /** The admin CLI in-process against the stack with the bootstrap credential: exit code and standard output. */
    private static String[] cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", stack.adminUrl().toString(), "--token", stack.adminToken(), "--ca-file",
                stack.dataDir().resolve("pki/server-ca.pem").toString()));
        StringWriter out = new StringWriter(), err = new StringWriter();
        DrawbridgeCli c = new DrawbridgeCli(Map.of("DRAWBRIDGE_CONFIG_DIR", dir.resolve("no-login").toString()),
                new ByteArrayInputStream(new byte[0]));
        int exit = DrawbridgeCli.commandLine(c).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(all.toArray(String[]::new));
        return new String[] {String.valueOf(exit), out.toString(), err.toString()};
    }

    @Test
    void theCliStartsAndEndsItAndListsIt() throws Exception {
        String[] start = cli("connector-groups", "maintenance", "start", "Default", "--message", "Patching the connectors");
        assertThat(start[0]).as(start[2]).isEqualTo("0");
        assertThat(start[1]).contains("Connector group 'Default'", "is in maintenance mode");
        assertThat(get("echo/cli").getStatus()).isEqualTo(503);
        String[] list = cli("connector-groups", "list");
        assertThat(list[1].lines().toList().getFirst()).contains("MAINTENANCE");
        assertThat(list[1]).contains("since ");
        String[] end = cli("connector-groups", "maintenance", "end", "Default");
        assertThat(end[0]).as(end[2]).isEqualTo("0");
        assertThat(end[1]).contains("serves its apps again");
        assertThat(get("echo/cli").getStatus()).isEqualTo(200);
        String[] bad = cli("connector-groups", "maintenance", "start", "Default", "--message", "x".repeat(501));
        assertThat(bad[0]).isNotEqualTo("0");
        assertThat(bad[2]).contains("message").doesNotContain("Exception");
    }

    @Test
    void aBadMessageIsA400NamingTheFieldAndChangesNothing() throws Exception {
        for (String bad : new String[] {"x".repeat(501), "line\nbreak", "bell\u0007", "bidi\u202Eoverride"}) {
            var answer = stack.api("PUT", "connector-groups/Default/maintenance", Map.of("message", bad));
            assertThat(answer.status()).as(bad).isEqualTo(400);
            assertThat(answer.body().toString()).contains("message");
        }
        assertThat(stack.adminApi().connectorGroups().get("Default").maintenance()).isNull();
        assertThat(get("echo/still").getStatus()).isEqualTo(200);
        assertThat(stack.api("PUT", "connector-groups/no-such-group/maintenance", Map.of()).status()).isEqualTo(404);
    }
}
