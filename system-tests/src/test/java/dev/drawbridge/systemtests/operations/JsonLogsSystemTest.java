package dev.drawbridge.systemtests.operations;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.time.Await;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One request through a whole stack (real TLS, a connector, the sample app) with the JSON encoder of
 * {@code --log-format json} and the access logs on: the proxy's line and the connector's line for it carry the same
 * request id in their MDC, and the app received that id as {@code X-Request-Id}; the one the client sent was not taken
 * (the client is no trusted proxy). Every line captured is one valid JSON object.
 */
@Timeout(120)
class JsonLogsSystemTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static SampleApp app;
    static DrawbridgeStack stack;
    static String sampleId;

    @BeforeAll
    static void start() throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        sampleId = stack.adminApi().apps().create(new AppSpec("Sample", stack.externalUrl("sample"), app.baseUri().toString(), null, null,
                null, PreAuthentication.PASSTHROUGH)).id();
        stack.startConnector(dir.resolve("connector"), 1);
        Await.until("the sample app answers through the stack", Duration.ofSeconds(30), () -> {
            try {
                return get("echo/warm-up", "warm-up").getStatus() == 200;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @AfterAll
    @SuppressWarnings("try")
    static void stop() throws Exception {
        try (AutoCloseable s = stack; AutoCloseable a = app) {
            // closes both
        }
    }

    private static ContentResponse get(String path, String clientRequestId) throws Exception {
        return stack.http().newRequest(URI.create(stack.externalUrl("sample") + path)).headers(h -> h.put("X-Request-Id", clientRequestId))
                .timeout(20, TimeUnit.SECONDS).send();
    }

    /** The captured lines of {@code logger} whose MDC has {@code requestId}. */
    private static List<JsonNode> linesOf(LogCapture logs, String logger, String requestId) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode line : logs.jsonLines()) {
            if (line.path("loggerName").asText().equals(logger) && line.path("mdc").path("requestId").asText().equals(requestId)) {
                found.add(line);
            }
        }
        return found;
    }

    @Test
    void theProxyTheConnectorAndTheAppShareOneRequestId() throws Exception {
        try (LogCapture logs = LogCapture.json(Map.of("drawbridge.access", Level.INFO))) {
            ContentResponse r = get("echo/traced", "chosen-by-the-client");
            assertThat(r.getStatus()).isEqualTo(200);
            List<String> seen = new ArrayList<>();
            JSON.readTree(r.getContentAsString()).path("headers").path("x-request-id").forEach(v -> seen.add(v.asText()));
            assertThat(seen).as("the app gets exactly one id, Drawbridge's").singleElement().asString().matches("[0-9a-f]{32}");
            String id = seen.getFirst();

            Await.until("the proxy's and the connector's access lines for " + id, Duration.ofSeconds(20),
                    () -> !linesOf(logs, "drawbridge.access.proxy", id).isEmpty() && !linesOf(logs, "drawbridge.access.connector", id).isEmpty());
            JsonNode proxy = linesOf(logs, "drawbridge.access.proxy", id).getFirst();
            JsonNode connector = linesOf(logs, "drawbridge.access.connector", id).getFirst();
            assertThat(proxy.path("level").asText()).isEqualTo("INFO");
            assertThat(proxy.path("formattedMessage").asText()).startsWith("GET sample.localhost app=" + sampleId + " status=200 ms=");
            assertThat(connector.path("formattedMessage").asText()).startsWith("GET app=" + sampleId + " outcome=200 ms=");
            for (JsonNode line : List.of(proxy, connector)) {
                assertThat(line.path("timestamp").asLong()).isPositive();
                assertThat(line.path("formattedMessage").asText()).doesNotContain("/echo/traced").doesNotContain("chosen-by-the-client");
            }
            // Each line of the capture is one JSON object, and the client's id is in none of them.
            assertThat(logs.jsonLines()).isNotEmpty().allSatisfy(l -> assertThat(l.toString()).doesNotContain("chosen-by-the-client"));
        }
    }

    @Test
    void everyRequestGetsItsOwnId() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ContentResponse r = get("echo/" + i, "same-every-time");
            ids.add(JSON.readTree(r.getContentAsString()).path("headers").path("x-request-id").get(0).asText());
        }
        assertThat(ids).doesNotHaveDuplicates().allSatisfy(id -> assertThat(id).matches("[0-9a-f]{32}"));
    }
}
