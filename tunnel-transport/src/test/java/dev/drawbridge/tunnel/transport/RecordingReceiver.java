package dev.drawbridge.tunnel.transport;

import dev.drawbridge.model.tunnel.Frame;
import dev.drawbridge.model.tunnel.FrameCodec;
import dev.drawbridge.model.tunnel.LengthPrefixedFrames;
import dev.drawbridge.model.tunnel.MalformedFrameException;
import dev.drawbridge.model.tunnel.TunnelLink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** A receiver that records what its link tells it, decoding each frame (a malformed one closes the link). */
final class RecordingReceiver implements TunnelLink.Receiver {
    final AtomicInteger opened = new AtomicInteger();
    final List<String> closed = new CopyOnWriteArrayList<>();
    final List<Frame> frames = new CopyOnWriteArrayList<>();
    final List<Integer> frameSizes = new CopyOnWriteArrayList<>();
    final AtomicReference<TunnelLink> link = new AtomicReference<>();
    /** Frames seen before opened() returned: must stay 0. */
    final AtomicInteger framesBeforeOpen = new AtomicInteger();
    /** Runs after closed is recorded. */
    volatile Consumer<String> onClosed = r -> { };
    /** When set, frames go there instead of being recorded. */
    volatile LengthPrefixedFrames.Sink onFrame;
    /** When set, frames go there with the link's retainer (before {@link #onFrame} or recording). */
    volatile TunnelLink.Receiver forward;
    /** Whether each PING is answered with a PONG at once. */
    volatile boolean answerPings;
    /** Runs after opened (e.g. to write the server's first frame). */
    volatile Consumer<TunnelLink> onOpened = l -> { };

    @Override
    public void opened(TunnelLink l) {
        link.set(l);
        opened.incrementAndGet();
        onOpened.accept(l);
    }

    @Override
    public void frame(ByteBuffer frame) throws MalformedFrameException {
        if (opened.get() == 0) {
            framesBeforeOpen.incrementAndGet();
        }
        LengthPrefixedFrames.Sink delegate = onFrame;
        if (delegate != null) {
            delegate.frame(frame);
            return;
        }
        frameSizes.add(frame.remaining());
        Frame f = FrameCodec.decode(frame);
        frames.add(f);
        if (answerPings && f instanceof Frame.Ping p) {
            try {
                link.get().write(FrameCodec.encode(new Frame.Pong(p.payload())), () -> { }, t -> { });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void frame(ByteBuffer frame, TunnelLink.Retainer retainer) throws MalformedFrameException {
        TunnelLink.Receiver f = forward;
        if (f != null) {
            f.frame(frame, retainer);
            return;
        }
        frame(frame);
    }

    @Override
    public void closed(String reason) {
        closed.add(reason);
        onClosed.accept(reason);
    }

    long count(Class<? extends Frame> type) {
        return frames.stream().filter(type::isInstance).count();
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5); // polling interval of the condition, not a wait for an event
        }
    }
}
