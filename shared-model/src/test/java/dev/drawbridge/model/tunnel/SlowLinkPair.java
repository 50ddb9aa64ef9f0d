package dev.drawbridge.model.tunnel;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Test fixture: a proxy and a connector {@link Multiplexer} over two {@link SlowLink}s (one each way), each side with its
 * own {@link FlowControl} (so either can be a peer that does not auto-tune).
 */
final class SlowLinkPair implements AutoCloseable {
    final Multiplexer proxy;
    final Multiplexer connector;
    /** The links' raw senders, bypassing the multiplexers (for misbehaving peers). */
    final SlowLink proxyToConnector;
    final SlowLink connectorToProxy;
    final BlockingQueue<TunnelStream> accepted = new LinkedBlockingQueue<>();
    private final AtomicReference<Throwable> transportFailure = new AtomicReference<>();
    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * @param oneWay         the delay each way: the round trip is twice that
     * @param bytesPerSecond each direction's bandwidth
     * @param dropFromPeer   frames the connector sends that never arrive (e.g. its pongs)
     */
    SlowLinkPair(Duration oneWay, long bytesPerSecond, FlowControl proxyFlow, FlowControl connectorFlow,
                 Predicate<Frame> dropFromPeer) {
        AtomicReference<Multiplexer> proxyRef = new AtomicReference<>();
        AtomicReference<Multiplexer> connectorRef = new AtomicReference<>();
        proxyToConnector = new SlowLink("proxy-to-connector", oneWay, bytesPerSecond, f -> false,
                f -> connectorRef.get().receive(f), transportFailure);
        connectorToProxy = new SlowLink("connector-to-proxy", oneWay, bytesPerSecond, dropFromPeer,
                f -> proxyRef.get().receive(f), transportFailure);
        proxy = new Multiplexer(proxyToConnector, null, background::execute, Multiplexer.LAST_STREAM_ID,
                Multiplexer.Lifecycle.NONE, proxyFlow);
        connector = new Multiplexer(connectorToProxy, accepted::add, background::execute, Multiplexer.LAST_STREAM_ID,
                Multiplexer.Lifecycle.NONE, connectorFlow);
        proxyRef.set(proxy);
        connectorRef.set(connector);
    }

    SlowLinkPair(Duration oneWay, long bytesPerSecond, FlowControl both) {
        this(oneWay, bytesPerSecond, both, both, f -> false);
    }

    /** The connector side of the next stream the proxy opened. */
    TunnelStream accept() throws InterruptedException {
        TunnelStream s = accepted.poll(10, TimeUnit.SECONDS);
        if (s == null) {
            throw new AssertionError("the connector side was never told about an opened stream");
        }
        return s;
    }

    @Override
    public void close() {
        proxy.close("test over");
        connector.close("test over");
        proxyToConnector.close();
        connectorToProxy.close();
        background.shutdownNow();
        Throwable t = transportFailure.get();
        if (t != null) {
            throw new AssertionError("a transport thread failed", t);
        }
    }
}
