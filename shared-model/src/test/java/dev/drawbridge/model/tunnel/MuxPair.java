package dev.drawbridge.model.tunnel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Test fixture: two {@link Multiplexer}s wired back to back in memory, like a proxy and a connector over
 * one tunnel. Every frame is encoded with {@link FrameCodec}, and decoded and handed to the other side's
 * {@code receive} on one thread per direction, in order, as a real transport would.
 */
final class MuxPair implements AutoCloseable {
    /** The proxy side: opens streams, accepts none. */
    final Multiplexer proxy;
    /** The connector side: accepts the streams the proxy opens into {@link #accepted}. */
    final Multiplexer connector;
    final BlockingQueue<TunnelStream> accepted = new LinkedBlockingQueue<>();
    /** The raw transport from the proxy to the connector, bypassing the multiplexer (for misbehaving senders). */
    final Multiplexer.FrameSender proxyWire;
    final Multiplexer.FrameSender connectorWire;
    final Queue<Frame> sentByProxy = new ConcurrentLinkedQueue<>();
    final Queue<Frame> sentByConnector = new ConcurrentLinkedQueue<>();
    /** First exception a transport thread saw while decoding or dispatching; must stay null. */
    final AtomicReference<Throwable> transportFailure = new AtomicReference<>();

    private final ExecutorService toConnector = Executors.newSingleThreadExecutor();
    private final ExecutorService toProxy = Executors.newSingleThreadExecutor();
    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();

    MuxPair() {
        this(Multiplexer.LAST_STREAM_ID, Multiplexer.Lifecycle.NONE, Multiplexer.Lifecycle.NONE);
    }

    /** With the proxy's id space ending at {@code lastStreamId}, and each side's lifecycle listener. */
    MuxPair(int lastStreamId, Multiplexer.Lifecycle proxyLifecycle, Multiplexer.Lifecycle connectorLifecycle) {
        AtomicReference<Multiplexer> proxyRef = new AtomicReference<>();
        AtomicReference<Multiplexer> connectorRef = new AtomicReference<>();
        proxyWire = wire(toConnector, connectorRef, sentByProxy);
        connectorWire = wire(toProxy, proxyRef, sentByConnector);
        proxy = new Multiplexer(proxyWire, null, background::execute, lastStreamId, proxyLifecycle);
        connector = new Multiplexer(connectorWire, accepted::add, background::execute, Multiplexer.LAST_STREAM_ID,
                connectorLifecycle);
        proxyRef.set(proxy);
        connectorRef.set(connector);
    }

    private Multiplexer.FrameSender wire(ExecutorService direction, AtomicReference<Multiplexer> target, Queue<Frame> log) {
        return frame -> {
            ByteBuffer encoded = FrameCodec.encode(frame);
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            log.add(frame);
            try {
                direction.execute(() -> {
                    try {
                        target.get().receive(FrameCodec.decode(ByteBuffer.wrap(bytes)));
                    } catch (Throwable t) {
                        transportFailure.compareAndSet(null, t);
                    }
                });
            } catch (RejectedExecutionException e) {
                throw new IOException("transport closed", e);
            }
        };
    }

    /** The connector side of the next stream the proxy opened. */
    TunnelStream accept() throws InterruptedException {
        TunnelStream s = accepted.poll(10, TimeUnit.SECONDS);
        if (s == null) {
            throw new AssertionError("the connector side was never told about an opened stream");
        }
        return s;
    }

    static RequestHead head(String appId) {
        return new RequestHead(appId, "POST", "http://intranet:8080/" + appId, List.of(new HeaderField("X-App", appId)),
                Duration.ofSeconds(85), false);
    }

    /** Polls {@code condition} until it holds, failing after the deadline. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    @Override
    public void close() {
        proxy.close("test over");
        connector.close("test over");
        toConnector.shutdownNow();
        toProxy.shutdownNow();
        background.shutdownNow();
        Throwable t = transportFailure.get();
        if (t != null) {
            throw new AssertionError("a transport thread failed", t);
        }
    }
}
