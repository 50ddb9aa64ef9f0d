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
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The cap on input buffers that retained DATA slices pin ({@link PinnedInput}), over a real {@link FrameConnection} pair
 * on TLS: a reader that holds every chunk of a download pins buffers only up to the cap, the rest of its data arriving
 * as copies, every byte intact either way; the count goes back to zero when the chunks are released, and nothing leaks.
 * Shares of one cap (the server's, one per connector) stop at their own limit, so a link whose reader holds everything
 * leaves the others their part. (Before the cap, the proxy could not retain at all: 200 unread HTTP/2 streams pinned
 * 61 MiB, Http2DowngradeAttackTest.)
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

    /** A share (the server gives one to each connector) counts against its own limit, which may change, and the whole cap. */
    @Test
    void aShareCountsAgainstItsOwnLimitAndTheWholeCap() {
        int buffer = 96 * 1024;
        PinnedInput whole = new PinnedInput(4L * buffer);
        AtomicLong parties = new AtomicLong(1);
        PinnedInput a = whole.share(() -> whole.limit() / parties.get());
        PinnedInput b = whole.share(() -> whole.limit() / parties.get());
        List<PinnedInput.Pin> pins = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pins.add(a.tryPin(buffer));
        }
        assertThat(pins).doesNotContainNull();
        assertThat(a.used()).isEqualTo(3L * buffer);
        assertThat(whole.used()).as("a share's buffers count against the whole").isEqualTo(3L * buffer);
        parties.set(2);
        assertThat(a.tryPin(buffer)).as("above its half now").isNull();
        assertThat(a.used()).as("a refusal takes nothing").isEqualTo(3L * buffer);
        PinnedInput.Pin fromB = b.tryPin(buffer);
        assertThat(fromB).as("b under its half, and the whole has room").isNotNull();
        assertThat(b.tryPin(buffer)).as("b under its half, but the whole is full").isNull();
        assertThat(b.used()).isEqualTo(buffer);
        assertThat(whole.used()).isEqualTo(4L * buffer);
        pins.forEach(PinnedInput.Pin::drop);
        assertThat(a.used()).isZero();
        assertThat(whole.used()).as("released to both").isEqualTo(buffer);
        fromB.drop();
        assertThat(whole.used()).isZero();
        assertThatThrownBy(() -> a.share(() -> 1)).isInstanceOf(IllegalStateException.class);
    }

    /**
     * Two links with a share each of one cap (two connectors on one server): the reader of the first holds every chunk of
     * a download, and its link stops pinning at its half; the second link's large DATA is still retained. Without shares,
     * the first link would pin the whole cap and the second would only copy.
     */
    @Test
    void aLinkWhoseReaderHoldsEverythingLeavesTheOtherSharesTheirPart() throws Exception {
        PinnedInput whole = new PinnedInput(8L * FrameConnection.INPUT_BUFFER);
        PinnedInput a = whole.share(() -> whole.limit() / 2);
        PinnedInput b = whole.share(() -> whole.limit() / 2);
        fixture = new TunnelFixture();
        MuxEnd proxyA = end(a);
        MuxEnd proxyB = end(b);
        TunnelStream held = open(proxyA, 4 * 1024 * 1024);
        List<StreamChunk> chunks = new ArrayList<>();
        StreamChunk c;
        while ((c = held.readChunk()) != null) {
            chunks.add(c);
        }
        assertThat(a.used()).as("the first link pinned up to its share").isPositive().isLessThanOrEqualTo(whole.limit() / 2);
        assertThat(proxyA.declined.get()).as("and copied beyond").isPositive();
        TunnelStream other = open(proxyB, 2 * 1024 * 1024);
        assertThat(other.inputStream().readAllBytes()).isEqualTo(RetainedSlicesTest.expected(other.id(), 2 * 1024 * 1024));
        assertThat(proxyB.retained.get()).as("the second link still retains").isPositive();
        chunks.forEach(StreamChunk::release);
        RecordingReceiver.await(() -> whole.used() == 0, "nothing pinned once every chunk is released: " + whole.used());
        assertThat(a.used()).isZero();
        assertThat(b.used()).isZero();
    }

    /** The connector's cap belongs to its HTTP client (never a static one shared with a server in the same JVM). */
    @Test
    void aClientsLinksCountAgainstTheClientsOwnCap() throws Exception {
        fixture = new TunnelFixture();
        TunnelUpgradeClient.install(fixture.client);
        PinnedInput made = fixture.client.getBean(PinnedInput.class);
        assertThat(made).isNotNull();
        assertThat(made.limit()).isEqualTo(PinnedInput.CONNECTOR_DEFAULT);
        TunnelUpgradeClient.install(fixture.client);
        assertThat(fixture.client.getBean(PinnedInput.class)).as("kept").isSameAs(made);
        PinnedInput given = new PinnedInput(0);
        TunnelUpgradeClient.install(fixture.client, given);
        assertThat(fixture.client.getBeans(PinnedInput.class)).containsExactly(given);
        assertThat(given).isNotSameAs(fixture.serverPinned);
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

    /** One more link to {@link #fixture}, the server's end counting against {@code pinned}: the proxy's end. */
    private MuxEnd end(PinnedInput pinned) throws Exception {
        fixture.serverPinned = pinned;
        MuxEnd connector = new MuxEnd(RetainedSlicesTest::download);
        TunnelUpgradeClient.dial(fixture.client, fixture.uri(), HttpFields.EMPTY, connector, Duration.ofSeconds(30)).get(20, TimeUnit.SECONDS);
        MuxEnd end = new MuxEnd(null);
        RecordingReceiver server = fixture.awaitServerLink();
        end.opened(server.link.get());
        server.onClosed = end::closed;
        server.forward = end;
        return end;
    }

    private static TunnelStream open(MuxEnd end, int size) throws Exception {
        return end.mux.get().open(new RequestHead("app", "GET", "http://intranet/bytes?" + size,
                List.of(new HeaderField("Host", "intranet")), Duration.ofSeconds(30), false, false));
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
