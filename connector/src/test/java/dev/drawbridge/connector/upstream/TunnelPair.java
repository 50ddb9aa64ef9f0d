package dev.drawbridge.connector.upstream;

import dev.drawbridge.model.tunnel.Frame;
import dev.drawbridge.model.tunnel.FrameCodec;
import dev.drawbridge.model.tunnel.Multiplexer;
import dev.drawbridge.model.tunnel.TunnelStream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Test fixture: a proxy-side and a connector-side {@link Multiplexer} over an in-memory tunnel. Every frame is encoded
 * and decoded, and delivered in order on one thread per direction, as a real transport would. The connector side hands
 * each stream the proxy opens to {@code serve} on its delivery thread, as {@code TunnelClient} does.
 */
final class TunnelPair implements AutoCloseable {
    final Multiplexer proxy;
    final Multiplexer connector;
    /** Frames the connector side sent, in order. */
    final Queue<Frame> sentByConnector = new ConcurrentLinkedQueue<>();

    private final ExecutorService toConnector = Executors.newSingleThreadExecutor();
    private final ExecutorService toProxy = Executors.newSingleThreadExecutor();
    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();

    TunnelPair(Consumer<TunnelStream> serve) {
        AtomicReference<Multiplexer> proxyRef = new AtomicReference<>();
        AtomicReference<Multiplexer> connectorRef = new AtomicReference<>();
        proxy = new Multiplexer(wire(toConnector, connectorRef, null), null, background::execute);
        connector = new Multiplexer(wire(toProxy, proxyRef, sentByConnector), serve::accept, background::execute);
        proxyRef.set(proxy);
        connectorRef.set(connector);
    }

    ExecutorService background() {
        return background;
    }

    private static Multiplexer.FrameSender wire(ExecutorService direction, AtomicReference<Multiplexer> target, Queue<Frame> log) {
        return frame -> {
            ByteBuffer encoded = FrameCodec.encode(frame);
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            if (log != null) {
                log.add(frame);
            }
            try {
                direction.execute(() -> {
                    try {
                        target.get().receive(FrameCodec.decode(ByteBuffer.wrap(bytes)));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
            } catch (RejectedExecutionException e) {
                throw new IOException("transport closed", e);
            }
        };
    }

    @Override
    public void close() {
        proxy.close("test over");
        connector.close("test over");
        toConnector.shutdownNow();
        toProxy.shutdownNow();
        background.shutdownNow();
    }
}
