package dev.drawbridge.testsupport.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.proxy.cli.ServerCli;
import dev.drawbridge.proxy.web.Json;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin CLI publishes an app that then answers through the proxy, and reports API errors readably. */
class AdminCliTest {
    @TempDir
    static Path dir;
    static SampleApp app;
    static DrawbridgeStack stack;

    @BeforeAll
    static void start() throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        stack.startConnector(dir.resolve("connector"), 1);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
        app.close();
    }

    record Run(int exit, String out, String err) {
    }

    private static synchronized Run cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", stack.adminUrl().toString(), "--admin-token", stack.adminToken(),
                "--ca-file", stack.dataDir().resolve("pki/server-ca.pem").toString()));
        // The CLI's own writers, not System.out: the stack in this JVM logs to the console concurrently.
        StringWriter o = new StringWriter(), e = new StringWriter();
        int code = new CommandLine(new ServerCli()).setOut(new PrintWriter(o, true)).setErr(new PrintWriter(e, true))
                .execute(all.toArray(String[]::new));
        return new Run(code, o.toString(), e.toString());
    }

    @Test
    void publishListAndReachAnApp() throws Exception {
        Run publish = cli("apps", "publish", "--name", "HR portal", "--external-url", stack.externalUrl("hr"),
                "--internal-url", app.baseUri().toString());
        assertThat(publish.exit()).as(publish.err()).isZero();
        JsonNode created = Json.MAPPER.readTree(publish.out());
        assertThat(created.path("externalUrl").asText()).isEqualTo(stack.externalUrl("hr"));

        Run list = cli("apps", "list");
        assertThat(list.exit()).isZero();
        assertThat(Json.MAPPER.readTree(list.out()).path("items").findValuesAsText("name")).contains("HR portal");

        var r = stack.http().newRequest(URI.create(stack.externalUrl("hr") + "echo/cli")).timeout(20, TimeUnit.SECONDS).send();
        assertThat(r.getStatus()).isEqualTo(200);

        Run token = cli("tokens", "create", "--ttl-minutes", "5");
        assertThat(token.exit()).isZero();
        assertThat(Json.MAPPER.readTree(token.out()).path("installCommand").asText())
                .startsWith("drawbridge-connector register --server " + stack.adminUrl());

        Run connectors = cli("connectors", "list");
        assertThat(Json.MAPPER.readTree(connectors.out()).path("items").get(0).path("status").asText()).isEqualTo("ACTIVE");

        Run delete = cli("apps", "delete", created.path("id").asText());
        assertThat(delete.exit()).isZero();
        assertThat(stack.http().newRequest(URI.create(stack.externalUrl("hr"))).timeout(20, TimeUnit.SECONDS).send().getStatus())
                .isEqualTo(404);
    }

    @Test
    void apiErrorsAreShownFieldByField() {
        Run bad = cli("apps", "publish", "--name", "Bad", "--external-url", "https://bad.localhost/", "--internal-url", "not a url");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("internalUrl:").contains("400");
    }
}
