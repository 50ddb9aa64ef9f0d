package dev.drawbridge.systemtests.proxy;

import dev.drawbridge.connector.Connector;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.tunnel.ConnectorRegistry;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.time.Await;
import dev.drawbridge.tunnel.transport.PinnedInput;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server retains large DATA from connectors as slices of its links' input buffers (no copy) under its own cap
 * ({@code --tunnel-pinned-max}), and copies beyond it: downloads whose clients do not read yet park their streams'
 * windows in the server, pinning input buffers up to the cap and never past it, and every byte arrives intact once
 * read. Each connector gets a fair share of the cap (the cap divided by the connectors connected).
 */
@Timeout(120)
class ServerRetainedSlicesTest {
    private static final long MIB = 1024 * 1024;
    private static final long DOWNLOAD = 4 * MIB;

    @TempDir
    Path dir;
    private SampleApp app;
    private DrawbridgeStack stack;

    @AfterEach
    void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
        if (app != null) {
            app.close();
        }
    }

    private String start(long pinnedMax) throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")), c -> c.withTunnelWindows(
                new ServerConfig.TunnelWindows(ServerConfig.TunnelWindows.DEFAULTS.maxStreamWindow(),
                        ServerConfig.TunnelWindows.DEFAULTS.tunnelBudget(), ServerConfig.TunnelWindows.DEFAULTS.processBudget(), pinnedMax)));
        return stack.publish("Big", "big", app.baseUri(), PreAuthentication.PASSTHROUGH);
    }

    @Test
    void underItsCapTheServerRetainsSlicesAndBeyondItCopies() throws Exception {
        // Three buffers: less than one unread stream's window (512 KiB), so most of what three unread streams park is copied.
        long cap = 3L * 96 * 1024;
        String url = start(cap);
        stack.startConnector(dir.resolve("c"), 1);
        PinnedInput pinned = stack.server().registry().pinnedInput();
        assertThat(pinned.limit()).isEqualTo(cap);

        List<InputStreamResponseListener> unread = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            unread.add(get(url));
        }
        await("the server pins input buffers for the unread streams' slices", () -> pinned.used() > 0);
        assertThat(pinned.used()).as("never past the cap").isLessThanOrEqualTo(cap);
        for (InputStreamResponseListener l : unread) {
            assertThat(readAll(l)).as("every byte, slices and copies").isEqualTo(DOWNLOAD);
        }
        await("nothing pinned once read", () -> pinned.used() == 0);
    }

    @Test
    void aCapOfZeroAlwaysCopies() throws Exception {
        String url = start(0);
        stack.startConnector(dir.resolve("c"), 1);
        PinnedInput pinned = stack.server().registry().pinnedInput();
        InputStreamResponseListener unread = get(url);
        assertThat(unread.get(30, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
        assertThat(pinned.used()).isZero();
        assertThat(readAll(unread)).isEqualTo(DOWNLOAD);
    }

    @Test
    void eachConnectorGetsAFairShareOfTheServersCap() throws Exception {
        start(8 * MIB);
        ConnectorRegistry registry = stack.server().registry();
        Connector a = stack.startConnector(dir.resolve("a"), 1);
        assertThat(registry.pinnedInput(a.connectorId()).limit()).as("alone: the whole cap").isEqualTo(8 * MIB);
        Connector b = stack.startConnector(dir.resolve("b"), 1);
        await("two connectors: half each", () -> registry.pinnedInput(a.connectorId()).limit() == 4 * MIB);
        assertThat(registry.pinnedInput(b.connectorId()).limit()).isEqualTo(4 * MIB);
        b.close();
        await("b gone: a has the whole cap again", () -> registry.pinnedInput(a.connectorId()).limit() == 8 * MIB);
    }

    private InputStreamResponseListener get(String url) {
        InputStreamResponseListener listener = new InputStreamResponseListener();
        stack.http().newRequest(URI.create(url + "download?size=" + DOWNLOAD)).timeout(90, TimeUnit.SECONDS).send(listener);
        return listener;
    }

    /** Reads the whole body, checking the sample app's pattern; returns the bytes read. */
    private static long readAll(InputStreamResponseListener listener) throws Exception {
        Response response = listener.get(30, TimeUnit.SECONDS);
        assertThat(response.getStatus()).isEqualTo(200);
        long received = 0;
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = listener.getInputStream()) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                for (int i = 0; i < n; i += 1021) {
                    assertThat(buf[i]).as("byte %d", received + i).isEqualTo(SampleApp.patternByte(received + i));
                }
                received += n;
            }
        }
        return received;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, Duration.ofSeconds(30), condition);
    }
}
