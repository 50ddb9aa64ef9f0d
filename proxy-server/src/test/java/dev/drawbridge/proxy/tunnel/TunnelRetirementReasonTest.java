package dev.drawbridge.proxy.tunnel;

import dev.drawbridge.model.tunnel.Frame;
import dev.drawbridge.model.tunnel.FrameCodec;
import dev.drawbridge.model.tunnel.MalformedFrameException;
import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.ResetCode;
import dev.drawbridge.model.tunnel.TunnelLink;
import dev.drawbridge.proxy.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A retired tunnel says why it retired, in its GOAWAY and in its close: its stream ids running out, or the connector having
 * renewed the certificate it authenticated with. Each cause its own words, whichever way the tunnel drained.
 */
class TunnelRetirementReasonTest {
    @TempDir
    Path dir;

    @Test
    void aTunnelRetiredAfterARenewalSaysSo() throws Exception {
        try (Database db = Database.h2(dir)) {
            ConnectorRegistry registry = new ConnectorRegistry(registered(db), Clock.systemUTC(), Duration.ofSeconds(10));
            try {
                TunnelConnection t = registry.newTunnel("c1", group, "01", Instant.now().plusSeconds(3600));
                RecordingLink link = new RecordingLink();
                t.opened(link);
                t.retireForRenewal();
                assertThat(t.isRetiring()).isTrue();
                link.awaitGoAway();
                assertThat(t.closeIfDrained()).isTrue();

                assertThat(link.goAways()).singleElement().asString().contains("certificate renewed").doesNotContain("stream ids");
                assertThat(link.closes).singleElement().asString().startsWith("retired: ").contains("renewed").doesNotContain("stream ids");
            } finally {
                registry.close();
            }
        }
    }

    @Test
    void aTunnelRetiredForItsStreamIdsSaysSoAndARenewalAfterwardsDoesNotChangeIt() throws Exception {
        try (Database db = Database.h2(dir)) {
            ConnectorRegistry registry = new ConnectorRegistry(registered(db), Clock.systemUTC(), Duration.ofSeconds(10));
            // One stream id: the first stream retires the tunnel.
            registry.limitStreamIds(1);
            try {
                TunnelConnection t = registry.newTunnel("c1", group, "01", Instant.now().plusSeconds(3600));
                RecordingLink link = new RecordingLink();
                t.opened(link);
                t.open(new RequestHead("app", "GET", "http://x/", List.of(), Duration.ofSeconds(5), false));
                assertThat(t.isRetiring()).isTrue();
                // Renewed meanwhile: already retiring, for its stream ids.
                t.retireForRenewal();
                assertThat(t.closeIfDrained()).as("a stream in flight").isFalse();
                t.frame(FrameCodec.encode(new Frame.Reset(1, ResetCode.CANCEL, "done")));
                link.awaitGoAway();
                assertThat(t.closeIfDrained()).isTrue();

                assertThat(link.goAways()).singleElement().asString().contains("stream ids").doesNotContain("renewed");
                assertThat(link.closes).containsExactly(TunnelConnection.RETIRED);
                assertThat(link.closes).singleElement().asString().contains("stream ids").doesNotContain("renewed");
            } finally {
                registry.close();
            }
        }
    }

    private String group;

    /** A store where connector c1 is registered with certificate 01 (a tunnel is judged again when it joins). */
    private ConnectorStore registered(Database db) {
        ConnectorStore store = new ConnectorStore(db);
        group = store.ensureDefaultGroup(Instant.now()).id();
        store.insertConnector(new ConnectorStore.Connector("c1", group, "host", "1", "01", Instant.now().plusSeconds(3600),
                Instant.now(), Optional.empty(), Optional.empty()));
        return store;
    }

    /** A link that keeps the frames written to it and the reasons it was closed with. */
    private static final class RecordingLink implements TunnelLink {
        final List<Frame> written = new CopyOnWriteArrayList<>();
        final List<String> closes = new CopyOnWriteArrayList<>();

        @Override
        public void write(ByteBuffer frame, Runnable done, Consumer<Throwable> failed) {
            try {
                written.add(FrameCodec.decode(frame));
            } catch (MalformedFrameException e) {
                failed.accept(e);
                return;
            }
            done.run();
        }

        /** Waits for the GOAWAY the tunnel sends from a thread of its own. */
        void awaitGoAway() throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (goAways().isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no GOAWAY within 30 s; written: " + written);
                }
                Thread.sleep(Duration.ofMillis(10));
            }
        }

        List<String> goAways() {
            return written.stream().filter(f -> f instanceof Frame.GoAway).map(f -> ((Frame.GoAway) f).reason()).toList();
        }

        @Override
        public String protocol() {
            return "test";
        }

        @Override
        public boolean isOpen() {
            return closes.isEmpty();
        }

        @Override
        public void close(CloseReason reason, String text) {
            closes.add(text);
        }
    }
}
