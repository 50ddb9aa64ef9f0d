package dev.drawbridge.proxy.dispatch;

import dev.drawbridge.model.tunnel.FrameCodec;
import dev.drawbridge.model.tunnel.Multiplexer;
import dev.drawbridge.model.tunnel.ResetCode;
import dev.drawbridge.model.tunnel.TunnelLink;
import dev.drawbridge.model.tunnel.TunnelStream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Component-test fixture: one tunnel in memory, the proxy's {@link Multiplexer} back to back with a connector's, every
 * frame encoded and decoded with {@link FrameCodec} in order on one thread per direction. The test plays the connector
 * by taking the streams the proxy opened ({@link #accept}) and answering them.
 */
final class TunnelPair implements AutoCloseable {
    final Multiplexer proxy;
    final Multiplexer connector;
    private final BlockingQueue<TunnelStream> accepted = new LinkedBlockingQueue<>();
    private final ExecutorService toConnector = Executors.newSingleThreadExecutor();
    private final ExecutorService toProxy = Executors.newSingleThreadExecutor();

    TunnelPair() {
        AtomicReference<Multiplexer> proxyRef = new AtomicReference<>();
        AtomicReference<Multiplexer> connectorRef = new AtomicReference<>();
        proxy = new Multiplexer(wire(toConnector, connectorRef), null, Thread::startVirtualThread);
        connector = new Multiplexer(wire(toProxy, proxyRef), accepted::add, Thread::startVirtualThread);
        proxyRef.set(proxy);
        connectorRef.set(connector);
    }

    /**
     * Large DATA payloads reach each side as retained slices of the encoded frame, as over drawbridge-tunnel/2 (the frame's
     * buffer is never reused, so retaining it is safe): retentions taken and releases run, all directions together.
     */
    static final AtomicInteger RETAINED = new AtomicInteger();
    static final AtomicInteger RELEASED = new AtomicInteger();
    private static final TunnelLink.Retainer RETAINER = () -> {
        RETAINED.incrementAndGet();
        return RELEASED::incrementAndGet;
    };

    private static Multiplexer.FrameSender wire(ExecutorService direction, AtomicReference<Multiplexer> target) {
        return frame -> {
            ByteBuffer encoded = FrameCodec.encode(frame);
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            try {
                direction.execute(() -> {
                    try {
                        target.get().receive(ByteBuffer.wrap(bytes), RETAINER);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
            } catch (RejectedExecutionException e) {
                throw new IOException("tunnel closed", e);
            }
        };
    }

    /** The connector's side of the next stream the proxy opened. */
    TunnelStream accept() throws InterruptedException {
        TunnelStream s = accepted.poll(15, TimeUnit.SECONDS);
        if (s == null) {
            throw new AssertionError("no stream was opened on the tunnel");
        }
        return s;
    }

    /** Resets every stream the proxy opened that no test took (a failed test's), so the next test starts clean. */
    void drain() {
        TunnelStream s;
        while ((s = accepted.poll()) != null) {
            s.reset(ResetCode.CANCEL, "not taken by the test");
        }
    }

    @Override
    public void close() {
        proxy.close("test over");
        connector.close("test over");
        toConnector.shutdownNow();
        toProxy.shutdownNow();
    }
}
