package dev.drawbridge.proxy.forwarding;

import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.DetectorConnectionFactory;
import org.eclipse.jetty.server.ProxyConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The PROXY protocol (v1 text and v2 binary, HAProxy's) on a listener, for trusted peers only. The first
 * connection factory of a listener that opted in ({@code --proxy-protocol}): a connection from one of the
 * {@link TrustedProxies} may start with a PROXY header, and the address it reports becomes the connection's
 * remote address (Jetty's {@link ProxyConnectionFactory}); without one, the peer's own address stands. A
 * connection from any other peer is never parsed for a PROXY header: if it starts with one it is closed at
 * once (and logged, at most once a minute), so an untrusted peer cannot choose its address; otherwise it goes
 * on to TLS as a direct client.
 */
public final class ProxyProtocolGate extends ProxyConnectionFactory {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyProtocolGate.class);
    private static final byte[] V1 = "PROXY".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] V2 = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final long WARN_EVERY = TimeUnit.MINUTES.toNanos(1);

    private final TrustedProxies trusted;
    private final DetectorConnectionFactory untrusted;
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY);

    /** @param nextProtocol the protocol after the PROXY header, e.g. {@code "ssl"} */
    public ProxyProtocolGate(TrustedProxies trusted, String nextProtocol) {
        super(java.util.Objects.requireNonNull(nextProtocol, "nextProtocol"));
        this.trusted = trusted;
        this.untrusted = new DetectorConnectionFactory(new Refusal()) {
            @Override
            protected void nextProtocol(Connector connector, EndPoint endPoint, ByteBuffer buffer) {
                upgradeToConnectionFactory(connector.getConnectionFactory(nextProtocol), connector, endPoint);
            }
        };
        addBean(untrusted);
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        if (endPoint.getRemoteSocketAddress() instanceof InetSocketAddress peer && peer.getAddress() != null
                && trusted.contains(peer.getAddress())) {
            return super.newConnection(connector, endPoint);
        }
        return untrusted.newConnection(connector, endPoint);
    }

    /** Recognises a PROXY header (either version) from an untrusted peer, and closes the connection. */
    private final class Refusal extends AbstractConnectionFactory implements ConnectionFactory.Detecting {
        Refusal() {
            super("proxy");
        }

        @Override
        public Detection detect(ByteBuffer buffer) {
            Detection v1 = starts(buffer, V1), v2 = starts(buffer, V2);
            if (v1 == Detection.RECOGNIZED || v2 == Detection.RECOGNIZED) {
                return Detection.RECOGNIZED;
            }
            return v1 == Detection.NEED_MORE_BYTES || v2 == Detection.NEED_MORE_BYTES ? Detection.NEED_MORE_BYTES
                    : Detection.NOT_RECOGNIZED;
        }

        private static Detection starts(ByteBuffer buffer, byte[] signature) {
            int n = Math.min(buffer.remaining(), signature.length);
            for (int i = 0; i < n; i++) {
                if (buffer.get(buffer.position() + i) != signature[i]) {
                    return Detection.NOT_RECOGNIZED;
                }
            }
            return n == signature.length ? Detection.RECOGNIZED : Detection.NEED_MORE_BYTES;
        }

        @Override
        public Connection newConnection(Connector connector, EndPoint endPoint) {
            long now = System.nanoTime(), last = lastWarning.get();
            if (now - last >= WARN_EVERY && lastWarning.compareAndSet(last, now)) {
                LOG.warn("refused a PROXY protocol header from {}, which is not a trusted proxy; if it is your load balancer,"
                        + " add its address with --trusted-proxy", endPoint.getRemoteSocketAddress());
            } else {
                LOG.debug("refused a PROXY protocol header from {}", endPoint.getRemoteSocketAddress());
            }
            return new Closing(endPoint, connector.getExecutor());
        }
    }

    /** A connection that closes as soon as it opens. */
    private static final class Closing extends AbstractConnection implements Connection.UpgradeTo {
        Closing(EndPoint endPoint, Executor executor) {
            super(endPoint, executor);
        }

        @Override
        public void onOpen() {
            super.onOpen();
            getEndPoint().close();
        }

        @Override
        public void onFillable() {
            getEndPoint().close();
        }

        @Override
        public void onUpgradeTo(ByteBuffer buffer) {
            // the rest of what the peer sent is dropped with the connection
        }
    }
}
