package dev.drawbridge.systemtests.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.proxy.web.Json;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.SampleStack;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.OutputStreamRequestContent;
import org.eclipse.jetty.client.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 200 MB downloads and uploads stream through proxy and connector (all in this JVM, -Xmx512m)
 * without the heap growing with the body: a sampler forces GCs during the transfer and records the
 * live heap, which must stay far below the body size.
 */
class StreamingTest {
    private static final long SIZE = 200L * 1024 * 1024;
    /** Live-heap growth allowed during a transfer: tunnel windows and Jetty buffers, not the body. */
    private static final long MAX_GROWTH = 64L * 1024 * 1024;

    @TempDir
    static Path dir;
    static SampleApp app;
    static SampleStack sample;
    static DrawbridgeStack stack;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        sample = SampleStack.start(dir, 2);
        app = sample.app();
        stack = sample.stack();
        url = sample.url();
    }

    @AfterAll
    static void stop() throws Exception {
        sample.close();
    }

    /** Samples the live heap (after a forced GC) while a transfer runs. */
    static final class HeapWatch implements AutoCloseable {
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong peak = new AtomicLong();
        final long baseline;
        private final Thread thread;

        HeapWatch() {
            baseline = liveHeap();
            thread = Thread.ofPlatform().daemon().start(() -> {
                while (running.get()) {
                    peak.accumulateAndGet(liveHeap(), Math::max);
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        private long liveHeap() {
            System.gc();
            return memory.getHeapMemoryUsage().getUsed();
        }

        long growth() {
            return peak.get() - baseline;
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }

    @Test
    void download200MegabytesWithFlatHeap() throws Exception {
        InputStreamResponseListener listener = new InputStreamResponseListener();
        long received = 0;
        boolean patternOk = true;
        try (HeapWatch watch = new HeapWatch()) {
            stack.http().newRequest(URI.create(url + "download?size=" + SIZE)).timeout(120, TimeUnit.SECONDS).send(listener);
            Response response = listener.get(30, TimeUnit.SECONDS);
            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.getHeaders().getLongField("Content-Length")).isEqualTo(SIZE);
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = listener.getInputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    for (int i = 0; i < n; i += 4099) {
                        patternOk &= buf[i] == SampleApp.patternByte(received + i);
                    }
                    received += n;
                }
            }
            watch.close();
            assertThat(watch.growth()).as("live heap growth during a 200 MB download").isLessThan(MAX_GROWTH);
        }
        assertThat(received).isEqualTo(SIZE);
        assertThat(patternOk).as("downloaded bytes match the sample app's pattern").isTrue();
    }

    @Test
    void upload200MegabytesWithFlatHeap() throws Exception {
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        OutputStreamRequestContent body = new OutputStreamRequestContent("application/octet-stream");
        InputStreamResponseListener listener = new InputStreamResponseListener();
        try (HeapWatch watch = new HeapWatch()) {
            stack.http().newRequest(URI.create(url + "upload")).method("POST").body(body)
                    .timeout(120, TimeUnit.SECONDS).send(listener);
            byte[] chunk = new byte[64 * 1024];
            try (OutputStream out = body.getOutputStream()) {
                for (long off = 0; off < SIZE; off += chunk.length) {
                    for (int i = 0; i < chunk.length; i++) {
                        chunk[i] = (byte) ((off + i) * 7 >>> 3);
                    }
                    sent.update(chunk);
                    out.write(chunk);
                }
            }
            Response response = listener.get(60, TimeUnit.SECONDS);
            assertThat(response.getStatus()).isEqualTo(200);
            JsonNode result;
            try (InputStream in = listener.getInputStream()) {
                result = Json.MAPPER.readTree(in);
            }
            watch.close();
            assertThat(result.path("bytes").asLong()).isEqualTo(SIZE);
            assertThat(result.path("sha256").asText()).isEqualTo(HexFormat.of().formatHex(sent.digest()));
            assertThat(watch.growth()).as("live heap growth during a 200 MB upload").isLessThan(MAX_GROWTH);
        }
    }
}
