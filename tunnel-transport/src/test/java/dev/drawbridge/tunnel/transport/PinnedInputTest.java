package dev.drawbridge.tunnel.transport;

import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.StreamChunk;
import dev.drawbridge.model.tunnel.TunnelLink;
import dev.drawbridge.model.tunnel.TunnelStream;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The cap on input buffers that retained DATA slices pin ({@link PinnedInput}), over a real {@link FrameConnection} pair
 * on TLS: a reader that holds every chunk of a download pins buffers only up to the cap, the rest of its data arriving
 * as copies, every byte intact either way; the count goes back to zero when the chunks are released, and nothing leaks.
 * (Before the cap, the proxy could not retain at all: 200 unread HTTP/2 streams pinned 61 MiB, Http2DowngradeAttackTest.)
 */
class PinnedInputTest {
    private TunnelFixture fixture;
    private MuxEnd proxy;
    private TunnelLink connectorLink;

    @AfterEach
    void close() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void eachBufferCountsOnceUntilItsLastHoldIsDroppedAndNothingPassesTheLimit() {
        PinnedInput pinned = new PinnedInput(200_000);
        PinnedInput.Pin a = pinned.tryPin(96 * 1024), b = pinned.tryPin(96 * 1024);
        assertThat(a).isNotNull();
        assertThat(b).isNotNull();
        assertThat(pinned.tryPin(96 * 1024)).as("a third buffer passes the limit").isNull();
        assertThat(pinned.used()).isEqualTo(2 * 96 * 1024);
        a.add();
        a.add();
        a.drop(); // the link's own hold
        a.drop();
        assertThat(pinned.used()).as("one slice of the buffer still lives").isEqualTo(2 * 96 * 1024);
        a.drop();
        assertThat(pinned.used()).isEqualTo(96 * 1024);
        assertThatThrownBy(a::drop).isInstanceOf(IllegalStateException.class);
        b.drop();
        assertThat(pinned.used()).isZero();
        assertThat(new PinnedInput(0).tryPin(1)).isNull();
        assertThatThrownBy(() -> new PinnedInput(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aReaderHoldingEveryChunkPinsBuffersOnlyUpToTheCapAndGetsCopiesBeyond() throws Exception {
        PinnedInput pinned = new PinnedInput(3L * FrameConnection.INPUT_BUFFER);
        connect(pinned);
        int size = 8 * 1024 * 1024;
        TunnelStream s = open(size);
        List<StreamChunk> held = new ArrayList<>();
        long most = 0;
        StreamChunk c;
        while ((c = s.readChunk()) != null) {
            held.add(c);
            most = Math.max(most, pinned.used());
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        for (StreamChunk chunk : held) {
            all.put(chunk.buffer().duplicate());
        }
        assertThat(Arrays.equals(all.array(), RetainedSlicesTest.expected(s.id(), size))).as("the bytes of every chunk held").isTrue();
        assertThat(most).as("pinned at most").isLessThanOrEqualTo(pinned.limit());
        assertThat(held.stream().filter(StreamChunk::isRetained).count()).as("slices up to the cap").isPositive();
        assertThat(held.stream().filter(ch -> !ch.isRetained()).count()).as("copies beyond it").isGreaterThan(size / (128 * 1024));
        assertThat(proxy.declined.get()).isPositive();
        held.forEach(StreamChunk::release);
        RecordingReceiver.await(() -> pinned.used() == 0, "nothing pinned once every chunk is released: " + pinned.used());

        // With the buffers free again, large DATA is retained again.
        int retainedBefore = proxy.retained.get();
        byte[] again = open(2 * 1024 * 1024).inputStream().readAllBytes();
        assertThat(again).hasSize(2 * 1024 * 1024);
        assertThat(proxy.retained.get()).isGreaterThan(retainedBefore);
        closeAndAssertNoLeaks(pinned);
    }

    @Test
    void aCapOfZeroCopiesEverything() throws Exception {
        PinnedInput pinned = new PinnedInput(0);
        connect(pinned);
        TunnelStream s = open(4 * 1024 * 1024);
        assertThat(s.inputStream().readAllBytes()).isEqualTo(RetainedSlicesTest.expected(s.id(), 4 * 1024 * 1024));
        assertThat(proxy.retained.get()).isZero();
        assertThat(proxy.declined.get()).isPositive();
        closeAndAssertNoLeaks(pinned);
    }

    private void connect(PinnedInput pinned) throws Exception {
        fixture = new TunnelFixture();
        fixture.serverPinned = pinned;
        MuxEnd connector = new MuxEnd(RetainedSlicesTest::download);
        connectorLink = TunnelUpgradeClient.dial(fixture.client, fixture.uri(), HttpFields.EMPTY, connector, Duration.ofSeconds(30))
                .get(20, TimeUnit.SECONDS).link();
        proxy = new MuxEnd(null);
        RecordingReceiver server = fixture.awaitServerLink();
        proxy.opened(server.link.get());
        server.onClosed = proxy::closed;
        server.forward = proxy;
    }

    private TunnelStream open(int size) throws Exception {
        return proxy.mux.get().open(new RequestHead("app", "GET", "http://intranet/bytes?" + size,
                List.of(new HeaderField("Host", "intranet")), Duration.ofSeconds(30), false, false));
    }

    private void closeAndAssertNoLeaks(PinnedInput pinned) throws InterruptedException {
        connectorLink.close(TunnelLink.CloseReason.NORMAL, "done");
        RecordingReceiver.await(() -> !proxy.mux.get().isOpen(), "the proxy's end closed");
        RecordingReceiver.await(() -> proxy.released.get() == proxy.retained.get(), "every retention released");
        assertThat(pinned.used()).isZero();
        FrameConnectionTest.assertNoLeaks(fixture);
    }
}
