package dev.drawbridge.model.tunnel;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Multiplexer#receive(ByteBuffer, TunnelLink.Retainer)}: which DATA frames travel as retained slices, and that each
 * retention is released exactly once on every path (taken and released, read as a copy, reset, overrun, tunnel closed,
 * no stream, stream dropped unread).
 */
class RetainedDataTest {
    private final List<Frame> sent = new CopyOnWriteArrayList<>();
    private final AtomicInteger retained = new AtomicInteger();
    private final AtomicInteger released = new AtomicInteger();
    private final TunnelLink.Retainer retainer = () -> {
        retained.incrementAndGet();
        return released::incrementAndGet;
    };
    private Multiplexer mux;

    @BeforeEach
    void setUp() {
        mux = new Multiplexer(sent::add, null, Runnable::run);
    }

    @Test
    void aLargeDataPayloadIsQueuedAsASliceOfTheFrame() throws Exception {
        TunnelStream s = open();
        byte[] payload = bytes(Multiplexer.RETAIN_MIN, 1);
        ByteBuffer frame = FrameCodec.encode(new Frame.Data(s.id(), payload));
        mux.receive(frame, retainer);
        assertThat(retained.get()).isEqualTo(1);
        assertThat(s.bufferedInbound()).isEqualTo(payload.length);
        StreamChunk c = s.readChunk();
        assertThat(c.isRetained()).isTrue();
        assertThat(c.buffer().array()).as("the frame's own array, not a copy").isSameAs(frame.array());
        assertThat(toArray(c)).isEqualTo(payload);
        assertThat(released.get()).isZero();
        c.release();
        c.release();
        assertThat(released.get()).isEqualTo(1);
    }

    @Test
    void smallPayloadsAndFramesWithoutARetainerAreCopied() throws Exception {
        TunnelStream s = open();
        mux.receive(FrameCodec.encode(new Frame.Data(s.id(), bytes(Multiplexer.RETAIN_MIN - 1, 2))), retainer);
        mux.receive(FrameCodec.encode(new Frame.Data(s.id(), bytes(Multiplexer.RETAIN_MIN, 3))), null);
        assertThat(retained.get()).isZero();
        assertThat(s.readChunk().isRetained()).isFalse();
        assertThat(s.readChunk().isRetained()).isFalse();
    }

    @Test
    void readCopiesAndReleases() throws Exception {
        TunnelStream s = open();
        byte[] payload = bytes(40_000, 4);
        mux.receive(FrameCodec.encode(new Frame.Data(s.id(), payload)), retainer);
        assertThat(s.read()).isEqualTo(payload);
        assertThat(released.get()).isEqualTo(1);
    }

    @Test
    void aResetReleasesEverythingQueuedAndLaterFramesAreNotRetained() throws Exception {
        TunnelStream s = open();
        for (int i = 0; i < 5; i++) {
            mux.receive(FrameCodec.encode(new Frame.Data(s.id(), bytes(64 * 1024, i))), retainer);
        }
        assertThat(retained.get()).isEqualTo(5);
        s.reset(ResetCode.CANCEL, "client gone");
        assertThat(released.get()).isEqualTo(5);
        mux.receive(FrameCodec.encode(new Frame.Data(s.id(), bytes(64 * 1024, 9))), retainer);
        assertThat(retained.get()).as("a frame for a stream gone is dropped, not retained").isEqualTo(5);
    }

    @Test
    void aPeerResetAndTheTunnelsCloseReleaseEverythingQueued() throws Exception {
        TunnelStream a = open();
        TunnelStream b = open();
        mux.receive(FrameCodec.encode(new Frame.Data(a.id(), bytes(64 * 1024, 1))), retainer);
        mux.receive(FrameCodec.encode(new Frame.Data(b.id(), bytes(64 * 1024, 2))), retainer);
        mux.receive(FrameCodec.encode(new Frame.Reset(a.id(), ResetCode.UPSTREAM_ERROR, "app failed")), null);
        assertThat(released.get()).isEqualTo(1);
        mux.close("link lost");
        assertThat(released.get()).isEqualTo(2);
        assertThatThrownBy(b::readChunk).isInstanceOf(StreamResetException.class);
    }

    @Test
    void anOverrunWithASliceResetsTheStreamAndReleasesAll() throws Exception {
        TunnelStream s = open();
        int frames = Multiplexer.INITIAL_WINDOW / (64 * 1024);
        for (int i = 0; i < frames; i++) {
            mux.receive(FrameCodec.encode(new Frame.Data(s.id(), bytes(64 * 1024, i))), retainer);
        }
        assertThat(s.bufferedInbound()).as("the window, all parked").isEqualTo(Multiplexer.INITIAL_WINDOW);
        mux.receive(FrameCodec.encode(new Frame.Data(s.id(), bytes(Multiplexer.RETAIN_MIN, 99))), retainer);
        assertThat(s.resetCode()).contains(ResetCode.PROTOCOL_ERROR);
        assertThat(retained.get()).isEqualTo(frames + 1);
        assertThat(released.get()).isEqualTo(frames + 1);
    }

    @Test
    void aWholeBodyFromASliceIsCopiedAndReleased() throws Exception {
        TunnelStream s = open();
        byte[] payload = bytes(50_000, 5);
        mux.receive(FrameCodec.encode(new Frame.Data(s.id(), payload)), retainer);
        mux.receive(FrameCodec.encode(new Frame.End(s.id())), null);
        assertThat(s.takeWholeBody()).isEqualTo(payload);
        assertThat(released.get()).isEqualTo(1);
    }

    @Test
    void aMalformedStreamIdClosesTheTunnelAsADecodeWould() {
        ByteBuffer frame = FrameCodec.encodeData(1, new byte[Multiplexer.RETAIN_MIN], 0, Multiplexer.RETAIN_MIN);
        frame.putInt(1, 0);
        assertThatThrownBy(() -> mux.receive(frame, retainer)).isInstanceOf(MalformedFrameException.class);
        assertThat(retained.get()).isZero();
    }

    @Test
    void aStreamDroppedUnreadReleasesItsSlicesWhenCollected() throws Exception {
        queueAndDrop();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (released.get() < 2 && System.nanoTime() < deadline) {
            System.gc(); // the condition awaited is the Cleaner's release; collection is what makes it happen
        }
        assertThat(released.get()).isEqualTo(2);
    }

    /** Opens a stream, queues two slices, ends both halves (so the multiplexer forgets it) and drops it unread. */
    private void queueAndDrop() throws IOException, MalformedFrameException {
        TunnelStream s = open();
        mux.receive(FrameCodec.encode(new Frame.Data(s.id(), bytes(64 * 1024, 1))), retainer);
        mux.receive(FrameCodec.encode(new Frame.Data(s.id(), bytes(64 * 1024, 2))), retainer);
        mux.receive(FrameCodec.encode(new Frame.End(s.id())), null);
        s.endOutputWithoutFrame();
        assertThat(mux.activeStreams()).isZero();
        assertThat(released.get()).isZero();
    }

    private TunnelStream open() throws IOException {
        return mux.open(new RequestHead("app", "GET", "http://intranet/", List.of(), Duration.ofSeconds(5), false, false));
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] toArray(StreamChunk c) {
        ByteBuffer b = c.buffer();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
