package dev.drawbridge.tunnel.transport;

import dev.drawbridge.model.tunnel.BoundedFrameSender;
import dev.drawbridge.model.tunnel.MalformedFrameException;
import dev.drawbridge.model.tunnel.Multiplexer;
import dev.drawbridge.model.tunnel.TunnelLink;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** A tunnel end as the proxy and connector will build one: a {@link Multiplexer} over a link, its sender bounded. */
final class MuxEnd implements TunnelLink.Receiver {
    private final Multiplexer.StreamListener listener;
    final AtomicReference<Multiplexer> mux = new AtomicReference<>();
    final List<String> closed = new CopyOnWriteArrayList<>();
    /** Retentions of the link's input buffer taken (large DATA payloads passed on as slices), and their releases run. */
    final AtomicInteger retained = new AtomicInteger();
    final AtomicInteger released = new AtomicInteger();
    /** Retentions the link declined (its cap on pinned input buffers): those payloads were copied. */
    final AtomicInteger declined = new AtomicInteger();
    /** The longest one frame took to dispatch, in nanoseconds: the receive path must not block. */
    final AtomicReference<Long> slowestFrameNanos = new AtomicReference<>(0L);

    /** @param listener accepts the streams the peer opens (the connector's side), or null (the proxy's) */
    MuxEnd(Multiplexer.StreamListener listener) {
        this.listener = listener;
    }

    @Override
    public void opened(TunnelLink link) {
        BoundedFrameSender sender = new BoundedFrameSender(link, BoundedFrameSender.DEFAULT_BUDGET,
                failure -> link.close(TunnelLink.CloseReason.GOING_AWAY, "write failed"));
        mux.set(new Multiplexer(sender, listener, Thread::startVirtualThread));
    }

    @Override
    public void frame(ByteBuffer frame) throws MalformedFrameException {
        frame(frame, null);
    }

    /** As the proxy and the connector receive: a large DATA payload as a retained slice, each retention counted. */
    @Override
    public void frame(ByteBuffer frame, TunnelLink.Retainer retainer) throws MalformedFrameException {
        long start = System.nanoTime();
        TunnelLink.Retainer counting = retainer == null ? null : () -> {
            Runnable release = retainer.retain();
            if (release == null) {
                declined.incrementAndGet();
                return null;
            }
            retained.incrementAndGet();
            // Counts every run: a release run twice shows as more releases than retentions.
            return () -> {
                released.incrementAndGet();
                release.run();
            };
        };
        mux.get().receive(frame, counting);
        long took = System.nanoTime() - start;
        slowestFrameNanos.accumulateAndGet(took, Math::max);
    }

    @Override
    public void closed(String reason) {
        closed.add(reason);
        Multiplexer m = mux.get();
        if (m != null) {
            m.close(reason);
        }
    }
}
