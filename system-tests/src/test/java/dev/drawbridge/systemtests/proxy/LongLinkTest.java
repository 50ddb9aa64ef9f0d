package dev.drawbridge.systemtests.proxy;

import dev.drawbridge.connector.Connector;
import dev.drawbridge.connector.http.OutboundProxy;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.tunnel.Multiplexer;
import dev.drawbridge.proxy.tunnel.TunnelConnection;
import dev.drawbridge.testsupport.net.DelayingConnectProxy;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.time.Await;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tunnel over a long link: the connector reaches the server through a relay that delays each direction by 25 ms (a
 * 50 ms round trip), with real TLS. A 64 MiB download arrives whole and its stream's window grew past the initial
 * 512 KiB (at a fixed window one stream moves at most 512 KiB per round trip, 10 MiB/s); a stalled download on the same
 * tunnel does not delay a small request. The throughput itself is measured by hand
 * ({@code -Ddrawbridge.measure=true}, see docs/tunnel.md), not asserted.
 */
@Timeout(180)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LongLinkTest {
    private static final Duration ONE_WAY = Duration.ofMillis(25);

    @TempDir
    static Path dir;
    static SampleApp app;
    static DrawbridgeStack stack;
    static DelayingConnectProxy relay;
    static Connector connector;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        url = stack.publish("Far", "far", app.baseUri(), PreAuthentication.PASSTHROUGH);
        relay = DelayingConnectProxy.start(ONE_WAY);
        connector = stack.startConnectorThrough(OutboundProxy.of(relay.uri().toString()), dir.resolve("connector"), 1);
        Await.until("the tunnel through the relay", Duration.ofSeconds(30),
                () -> stack.server().registry().tunnelCount(connector.connectorId()) == 1);
    }

    @AfterAll
    static void stop() throws Exception {
        connector.close();
        relay.close();
        stack.close();
        app.close();
    }

    private static Multiplexer tunnel() {
        return stack.server().registry().tunnels().stream().filter(t -> t.connectorId().equals(connector.connectorId()))
                .map(TunnelConnection::mux).findFirst().orElseThrow();
    }

    /** Downloads {@code size} bytes, checking the sample app's pattern; returns the nanoseconds it took. */
    private static long download(long size) throws Exception {
        InputStreamResponseListener listener = new InputStreamResponseListener();
        long started = System.nanoTime();
        stack.http().newRequest(URI.create(url + "download?size=" + size)).timeout(150, TimeUnit.SECONDS).send(listener);
        Response response = listener.get(30, TimeUnit.SECONDS);
        assertThat(response.getStatus()).isEqualTo(200);
        long received = 0;
        boolean patternOk = true;
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = listener.getInputStream()) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                for (int i = 0; i < n; i += 4099) {
                    patternOk &= buf[i] == SampleApp.patternByte(received + i);
                }
                received += n;
            }
        }
        long took = System.nanoTime() - started;
        assertThat(received).isEqualTo(size);
        assertThat(patternOk).as("the bytes match the sample app's pattern").isTrue();
        return took;
    }

    @Test
    @Order(1)
    void aDownloadAcrossTheLongLinkGrowsItsStreamsWindow() throws Exception {
        Multiplexer mux = tunnel();
        assertThat(mux.largestReceiveWindow()).as("no stream grew before").isEqualTo(Multiplexer.INITIAL_WINDOW);

        download(64L * 1024 * 1024);

        assertThat(mux.rttNanos()).as("the round trip the proxy measured").isGreaterThanOrEqualTo(ONE_WAY.toNanos() * 2);
        assertThat(mux.largestReceiveWindow()).as("the download's window grew").isGreaterThan(Multiplexer.INITIAL_WINDOW);
        Await.until("the finished stream gave its growth back", Duration.ofSeconds(10), () -> mux.windowGrowth() == 0);
    }

    @Test
    @Order(2)
    void aStalledDownloadDoesNotDelayASmallRequest() throws Exception {
        InputStreamResponseListener stalled = new InputStreamResponseListener();
        stack.http().newRequest(URI.create(url + "download?size=" + (1L << 30))).timeout(150, TimeUnit.SECONDS).send(stalled);
        assertThat(stalled.get(30, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
        InputStream in = stalled.getInputStream();
        // Read fast for a while (the window grows), then stop: the stream's window fills up and stays full.
        byte[] buf = new byte[64 * 1024];
        long read = 0;
        while (read < 32L * 1024 * 1024) {
            read += in.read(buf);
        }
        Multiplexer mux = tunnel();
        assertThat(mux.activeStreams()).isEqualTo(1);

        ContentResponse small = stack.http().newRequest(URI.create(url + "echo?small=1")).timeout(10, TimeUnit.SECONDS).send();

        assertThat(small.getStatus()).isEqualTo(200);
        assertThat(small.getContentAsString()).contains("small=1");
        assertThat(mux.activeStreams()).as("the stalled download is still open").isEqualTo(1);
        assertThat(mux.windowGrowth()).isLessThanOrEqualTo(64L * 1024 * 1024);
        closeQuietly(in);
        stalled.get(30, TimeUnit.SECONDS).abort(new IOException("test over"));
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // the response is being aborted
        }
    }

    /** By hand: {@code -Ddrawbridge.measure=true} prints the MiB/s of single 200 MiB downloads across the link. */
    @Test
    @Order(3)
    @EnabledIfSystemProperty(named = "drawbridge.measure", matches = "true")
    void measureThroughput() throws Exception {
        long size = 200L * 1024 * 1024;
        for (int round = 0; round < 3; round++) {
            long nanos = download(size);
            System.out.printf("long link (%d ms RTT): 200 MiB in %.2f s = %.1f MiB/s; largest window %d KiB, RTT %.1f ms%n",
                    ONE_WAY.toMillis() * 2, nanos / 1e9, size / (1024.0 * 1024) / (nanos / 1e9),
                    tunnel().largestReceiveWindow() / 1024, tunnel().rttNanos() / 1e6);
        }
    }
}
