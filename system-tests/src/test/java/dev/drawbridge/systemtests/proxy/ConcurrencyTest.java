package dev.drawbridge.systemtests.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.proxy.tunnel.TunnelConnection;
import dev.drawbridge.proxy.web.Json;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.SampleStack;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.StringRequestContent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many requests at once: 500 concurrent requests spread over two connectors all come back right,
 * and a client that stops reading a large download does not hold up other requests sharing its
 * tunnel (per-stream flow control).
 */
class ConcurrencyTest {
    @TempDir
    static Path dir;
    static SampleApp app;
    static SampleStack sample;
    static DrawbridgeStack stack;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        sample = SampleStack.start(dir, 1, 1);
        app = sample.app();
        stack = sample.stack();
        url = sample.url();
    }

    @AfterAll
    static void stop() throws Exception {
        sample.close();
    }

    @Test
    void fiveHundredConcurrentRequestsAcrossTwoConnectorsAllCorrect() throws Exception {
        List<CompletableFuture<ContentResponse>> futures = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            bodies.add("request " + i + " " + "x".repeat(i * 37 % 5000));
        }
        for (int i = 0; i < 500; i++) {
            futures.add(new CompletableResponseListener(
                    stack.http().newRequest(URI.create(url + "echo/n/" + i + "?i=" + i)).method("POST")
                            .body(new StringRequestContent("text/plain", bodies.get(i))).timeout(60, TimeUnit.SECONDS),
                    1 << 20).send());
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
        for (int i = 0; i < 500; i++) {
            ContentResponse r = futures.get(i).get();
            assertThat(r.getStatus()).as("request %d: %s", i, r.getContentAsString()).isEqualTo(200);
            JsonNode echo = Json.MAPPER.readTree(r.getContent());
            assertThat(echo.path("rawPath").asText()).isEqualTo("/echo/n/" + i);
            assertThat(echo.path("rawQuery").asText()).isEqualTo("i=" + i);
            assertThat(echo.path("bodySha256").asText()).isEqualTo(sha256(bodies.get(i)));
        }
        Map<String, Long> perConnector = stack.server().registry().tunnels().stream()
                .collect(Collectors.groupingBy(TunnelConnection::connectorId, Collectors.summingLong(TunnelConnection::streamsOpened)));
        assertThat(perConnector).hasSize(2);
        assertThat(perConnector.values()).allSatisfy(n -> assertThat(n).as("streams per connector").isGreaterThan(50));
    }

    @Test
    void aClientThatStopsReadingDoesNotDelayOthers() throws Exception {
        // A 1 GiB download the client never reads past its first bytes: its stream's window fills up and stays full.
        InputStreamResponseListener stalled = new InputStreamResponseListener();
        stack.http().newRequest(URI.create(url + "download?size=" + (1L << 30))).timeout(120, TimeUnit.SECONDS).send(stalled);
        Response head = stalled.get(30, TimeUnit.SECONDS);
        assertThat(head.getStatus()).isEqualTo(200);
        InputStream in = stalled.getInputStream();
        assertThat(in.read(new byte[1024])).isPositive();
        // Meanwhile, on the same tunnels (the stalled one included), other requests complete promptly.
        Map<TunnelConnection, Long> before = opened();
        long t0 = System.nanoTime();
        List<CompletableFuture<ContentResponse>> others = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            others.add(new CompletableResponseListener(
                    stack.http().newRequest(URI.create(url + "download?size=200000")).timeout(30, TimeUnit.SECONDS), 1 << 20).send());
        }
        for (CompletableFuture<ContentResponse> f : others) {
            ContentResponse r = f.get(30, TimeUnit.SECONDS);
            assertThat(r.getStatus()).isEqualTo(200);
            assertThat(r.getContent()).hasSize(200000);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
        Map<TunnelConnection, Long> after = opened();
        TunnelConnection stalledTunnel = before.keySet().stream().filter(t -> t.mux().activeStreams() > 0).findFirst().orElseThrow();
        assertThat(after.get(stalledTunnel) - before.get(stalledTunnel)).as("requests served by the stalled stream's tunnel").isGreaterThanOrEqualTo(5);
        in.close();
    }

    private static Map<TunnelConnection, Long> opened() {
        return stack.server().registry().tunnels().stream()
                .collect(Collectors.toMap(t -> t, TunnelConnection::streamsOpened));
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
