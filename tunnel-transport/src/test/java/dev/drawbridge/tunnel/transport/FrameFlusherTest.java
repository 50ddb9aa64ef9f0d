package dev.drawbridge.tunnel.transport;

import dev.drawbridge.model.tunnel.Frame;
import dev.drawbridge.model.tunnel.FrameCodec;
import dev.drawbridge.model.tunnel.LengthPrefixedFrames;
import dev.drawbridge.model.tunnel.MalformedFrameException;
import dev.drawbridge.model.tunnel.ResetCode;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ByteArrayEndPoint;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.BufferUtil;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The flusher's order (control frames first, the rest in order), its bounds, and its callbacks (exactly one per frame). */
class FrameFlusherTest {
    private final ArrayByteBufferPool.Tracking pool = new ArrayByteBufferPool.Tracking();
    private final List<String> events = new CopyOnWriteArrayList<>();

    @Test
    void aPingOvertakesQueuedDataButEndAndResetKeepTheirPlace() throws Exception {
        ByteArrayEndPoint endPoint = new ByteArrayEndPoint(new byte[0], 100, false);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        FrameFlusher flusher = new FrameFlusher(endPoint, failures::add);
        // The first frame does not fit the endpoint's output: its write stays pending while the rest queue up.
        flusher.offer(entry(new Frame.Data(1, new byte[200]), "data-1"));
        flusher.offer(entry(new Frame.Data(1, new byte[10]), "data-2"));
        flusher.offer(entry(new Frame.End(1), "end-1"));
        flusher.offer(entry(new Frame.Reset(3, ResetCode.CANCEL, "x"), "reset-3"));
        flusher.offer(entry(new Frame.Ping(5), "ping"));
        flusher.offer(entry(new Frame.Window(7, 100), "window"));
        flusher.offer(entry(new Frame.Pong(6), "pong"));
        assertThat(flusher.queued()).isEqualTo(6);

        List<Frame> written = drain(endPoint, 7);
        assertThat(written).extracting(f -> f.getClass().getSimpleName())
                .containsExactly("Data", "Ping", "Window", "Pong", "Data", "End", "Reset");
        assertThat(events).containsExactlyInAnyOrder("data-1", "data-2", "end-1", "reset-3", "ping", "window", "pong");
        assertThat(failures).isEmpty();
        assertThat(pool.getLeaks()).isEmpty();
    }

    @Test
    void probesPastTheBoundAreDroppedAsWrittenWindowsNever() throws Exception {
        ByteArrayEndPoint endPoint = new ByteArrayEndPoint(new byte[0], 100, false);
        FrameFlusher flusher = new FrameFlusher(endPoint, t -> { });
        flusher.offer(entry(new Frame.Data(1, new byte[200]), "data"));
        for (int i = 0; i < FrameFlusher.MAX_QUEUED_PROBES + 5; i++) {
            flusher.offer(entry(new Frame.Pong(i), "pong"));
        }
        for (int i = 0; i < 100; i++) {
            flusher.offer(entry(new Frame.Window(1 + 2 * i, 1), "window"));
        }
        assertThat(flusher.queued()).isEqualTo(FrameFlusher.MAX_QUEUED_PROBES + 100);
        assertThat(events).as("the dropped ones count as written").containsOnly("pong").hasSize(5);
        List<Frame> written = drain(endPoint, 1 + FrameFlusher.MAX_QUEUED_PROBES + 100);
        assertThat(written.stream().filter(Frame.Window.class::isInstance)).hasSize(100);
        assertThat(pool.getLeaks()).isEmpty();
    }

    /** A peer that does not read must not make WINDOWs pile up: one waits per stream, carrying all the credit. */
    @Test
    void windowsForAStreamCoalesceWhileQueuedAndNoCreditIsLost() throws Exception {
        ByteArrayEndPoint endPoint = new ByteArrayEndPoint(new byte[0], 100, false);
        FrameFlusher flusher = new FrameFlusher(endPoint, t -> { });
        flusher.offer(entry(new Frame.Data(1, new byte[200]), "data"));
        for (int i = 0; i < 1_000; i++) {
            flusher.offer(entry(new Frame.Window(3, 10), "window-3"));
            flusher.offer(entry(new Frame.Window(5, 1), "window-5"));
        }
        // Near the largest increment: no overflow, the second waits on its own.
        flusher.offer(entry(new Frame.Window(7, Integer.MAX_VALUE - 5), "window-7"));
        flusher.offer(entry(new Frame.Window(7, 10), "window-7"));
        flusher.offer(entry(new Frame.Window(7, 3), "window-7"));
        assertThat(flusher.queued()).isEqualTo(4);
        assertThat(events).as("the merged ones count as written").hasSize(2 * 1_000 - 2 + 1);
        List<Frame> written = drain(endPoint, 5);
        assertThat(written.subList(1, 5)).containsExactly(new Frame.Window(3, 10_000), new Frame.Window(5, 1_000),
                new Frame.Window(7, Integer.MAX_VALUE - 5), new Frame.Window(7, 13));
        // Once in flight a WINDOW is no longer merged into: the next one queues afresh.
        flusher.offer(entry(new Frame.Window(3, 1), "window-3"));
        assertThat(drain(endPoint, 1)).containsExactly(new Frame.Window(3, 1));
        assertThat(events).as("every frame written once").hasSize(2 * 1_000 + 3 + 2);
        assertThat(pool.getLeaks()).isEmpty();
    }

    @Test
    void closingFailsEverythingQueuedAndOfferedAfterwardsOnce() throws Exception {
        ByteArrayEndPoint endPoint = new ByteArrayEndPoint(new byte[0], 100, false);
        FrameFlusher flusher = new FrameFlusher(endPoint, t -> { });
        AtomicInteger callbacks = new AtomicInteger();
        List<String> outcome = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            flusher.offer(entry(new Frame.Data(1, new byte[200]), () -> outcome.add("written " + n), t -> outcome.add("failed " + n), callbacks));
        }
        flusher.close(new IOException("closed"));
        endPoint.close();
        flusher.offer(entry(new Frame.Ping(1), () -> outcome.add("written late"), t -> outcome.add("failed late"), callbacks));
        RecordingReceiver.await(() -> callbacks.get() == 6, "a callback for every frame");
        assertThat(outcome).containsExactlyInAnyOrder("failed 0", "failed 1", "failed 2", "failed 3", "failed 4", "failed late");
        RecordingReceiver.await(() -> pool.getLeaks().isEmpty(), "every buffer back in the pool");
    }

    private FrameFlusher.Entry entry(Frame frame, String name) {
        return entry(frame, () -> events.add(name), t -> events.add("failed " + name), new AtomicInteger());
    }

    private FrameFlusher.Entry entry(Frame frame, Runnable written, Consumer<Throwable> failed, AtomicInteger count) {
        ByteBuffer encoded = FrameCodec.encode(frame);
        RetainableByteBuffer buf = pool.acquire(LengthPrefixedFrames.encodedSize(encoded), false);
        ByteBuffer b = buf.getByteBuffer();
        int at = BufferUtil.flipToFill(b);
        LengthPrefixedFrames.putFrame(b, encoded);
        BufferUtil.flipToFlush(b, at);
        return new FrameFlusher.Entry(buf, LengthPrefixedFrames.kindOf(encoded), () -> {
            count.incrementAndGet();
            written.run();
        }, t -> {
            count.incrementAndGet();
            failed.accept(t);
        });
    }

    /** Takes the endpoint's output (each take lets the pending write go on) until {@code frames} frames came out. */
    private static List<Frame> drain(ByteArrayEndPoint endPoint, int frames) throws Exception {
        List<Frame> decoded = new ArrayList<>();
        LengthPrefixedFrames decoder = new LengthPrefixedFrames();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (decoded.size() < frames) {
            ByteBuffer out = endPoint.takeOutput();
            byte[] b = BufferUtil.toArray(out);
            decodeInto(decoder, b, decoded);
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + decoded.size() + " frames written");
            }
        }
        return decoded;
    }

    private static void decodeInto(LengthPrefixedFrames decoder, byte[] b, List<Frame> decoded) throws MalformedFrameException {
        decoder.feed(ByteBuffer.wrap(b), f -> decoded.add(FrameCodec.decode(f)));
    }
}
