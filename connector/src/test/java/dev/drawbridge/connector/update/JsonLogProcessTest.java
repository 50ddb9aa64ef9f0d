package dev.drawbridge.connector.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.drawbridge.connector.cli.ConnectorCli;
import dev.drawbridge.connector.operations.StreamLog;
import dev.drawbridge.model.http.RequestIds;
import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.ResponseHead;
import dev.drawbridge.model.tunnel.TunnelStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code drawbridge-connector run --log-format json} as a real process against the fake tunnel port: every log line is one
 * JSON object (level, logger, timestamp, formatted message), and the line about a request the proxy sent carries the
 * proxy's request id in its MDC ({@value RequestIds#MDC_KEY}), so one request is found by the same id on both ends.
 */
class JsonLogProcessTest {
    @TempDir
    Path state;
    private FakeTunnelPort port;
    private HttpServer app;
    private Process connector;

    @AfterEach
    void stop() throws Exception {
        if (connector != null) {
            connector.destroyForcibly().waitFor();
        }
        if (app != null) {
            app.stop(0);
        }
        if (port != null) {
            port.close();
        }
    }

    @Test
    void logLinesAreJsonWithTheRequestId() throws Exception {
        port = new FakeTunnelPort();
        port.writeIdentity(state, true);
        app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        app.createContext("/", exchange -> {
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        app.start();
        // The shipped configuration keeps the access log off; this one turns it on, as an operator would.
        Path logback = state.resolveSibling(state.getFileName() + "-logback.xml");
        Files.writeString(logback, """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d %-5level %logger - %msg%n</pattern></encoder>
                  </appender>
                  <logger name="dev.drawbridge" level="INFO"/>
                  <logger name="ACCESS" level="INFO"/>
                  <root level="WARN"><appender-ref ref="OUT"/></root>
                </configuration>
                """.replace("ACCESS", StreamLog.ACCESS_LOGGER));
        Path out = state.resolveSibling(state.getFileName() + "-out.log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Dlogback.configurationFile=" + logback,
                "-cp", TestBundles.testClassPath(), ConnectorCli.class.getName(), "run",
                "--state-dir", state.toString(), "--tunnels", "1", "--update-check", "1h", "--log-format", "json")
                .redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("DRAWBRIDGE_CONNECTOR_"));
        connector = pb.start();
        Eventually.until("the connector's tunnel", Duration.ofSeconds(60), () -> !port.ends.isEmpty() || !connector.isAlive());
        assertThat(connector.isAlive()).as(Files.readString(out)).isTrue();

        String id = RequestIds.generate();
        AtomicReference<TunnelStream> stream = new AtomicReference<>();
        Eventually.until("a stream", Duration.ofSeconds(30), () -> {
            open(id).ifPresent(stream::set);
            return stream.get() != null;
        });
        ResponseHead head = stream.get().awaitHead(Duration.ofSeconds(30));
        assertThat(head.status()).isEqualTo(200);
        Eventually.until("the access log line", Duration.ofSeconds(30), () -> read(out).contains(id));

        List<JsonNode> lines = new ArrayList<>();
        // The JVM's own warnings (WARNING: ..., not the log's) are not log lines.
        for (String line : Files.readAllLines(out).stream().filter(l -> !l.startsWith("WARNING: ")).toList()) {
            assertThat(line).as("every line is a JSON log line").startsWith("{");
            lines.add(FakeTunnelPort.JSON.readTree(line));
        }
        assertThat(lines).isNotEmpty().allSatisfy(l -> {
            assertThat(l.path("level").asText()).isNotEmpty();
            assertThat(l.path("loggerName").asText()).isNotEmpty();
            assertThat(l.path("timestamp").asLong()).isPositive();
            assertThat(l.has("formattedMessage")).isTrue();
        });
        assertThat(lines).anySatisfy(l -> assertThat(l.path("formattedMessage").asText()).startsWith("connector c-1 started"));
        JsonNode access = lines.stream().filter(l -> l.path("loggerName").asText().equals(StreamLog.ACCESS_LOGGER)).findFirst().orElseThrow();
        assertThat(access.path("mdc").path(RequestIds.MDC_KEY).asText()).isEqualTo(id);
        assertThat(access.path("formattedMessage").asText()).startsWith("GET app=app-1 outcome=200");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<TunnelStream> open(String requestId) {
        try {
            return Optional.of(port.ends.getLast().open(new RequestHead("app-1", "GET", "http://127.0.0.1:" + app.getAddress().getPort() + "/",
                    List.of(new HeaderField(RequestIds.HEADER, requestId)), Duration.ofSeconds(20), false, false)));
        } catch (Exception notYet) {
            return Optional.empty();
        }
    }
}
