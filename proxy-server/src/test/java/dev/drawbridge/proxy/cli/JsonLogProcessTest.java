package dev.drawbridge.proxy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.proxy.web.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code drawbridge-server serve --log-format json --management-port 0} as a real process: its log lines are JSON
 * objects (the lines it prints for the operator, the admin credential and the URLs, stay plain), and its management
 * listener answers on the port it prints.
 */
@Timeout(120)
class JsonLogProcessTest {
    private static final Pattern MANAGEMENT = Pattern.compile("Metrics and health: http://127\\.0\\.0\\.1:(\\d+)/metrics");

    @TempDir
    Path data;

    @Test
    void logLinesAreJsonAndTheManagementListenerAnswers() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ServerCli.class.getName(), "serve",
                "--data-dir", data.toString(), "--bind", "127.0.0.1", "--port", "0", "--tunnel-port", "0", "--management-port", "0",
                "--log-format", "json").redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            List<JsonNode> logLines = new ArrayList<>();
            int managementPort = -1;
            boolean listening = false;
            String line;
            while ((!listening || managementPort < 0) && (line = out.readLine()) != null) {
                Matcher m = MANAGEMENT.matcher(line);
                if (m.find()) {
                    managementPort = Integer.parseInt(m.group(1));
                } else if (line.startsWith("{")) {
                    JsonNode json = Json.MAPPER.readTree(line);
                    logLines.add(json);
                    listening |= json.path("formattedMessage").asText().startsWith("Drawbridge proxy server listening");
                } else {
                    assertThat(line).as("a line for the operator, not a log line").matches("Admin credential .*|Admin API: .*");
                }
            }
            assertThat(listening).as("the start-up log line, as JSON").isTrue();
            assertThat(logLines).allSatisfy(l -> {
                assertThat(l.path("level").asText()).isNotEmpty();
                assertThat(l.path("loggerName").asText()).isNotEmpty();
                assertThat(l.path("timestamp").asLong()).isPositive();
            });
            HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + managementPort + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(Json.MAPPER.readTree(ready.body()).path("status").asText()).isEqualTo("UP");
        } finally {
            p.destroy();
            p.waitFor();
        }
    }
}
