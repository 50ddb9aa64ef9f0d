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

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The PROXY protocol (v1 text and v2 binary, HAProxy's) on a listener, for trusted peers only. The first
 * connection factory of a listener that opted in ({@code --proxy-protocol}), followed at once by its
 * {@link #addressCheck()}: a connection from one of the {@link TrustedProxies} may start with a PROXY header, and
 * the address it reports becomes the connection's remote address (Jetty's {@link ProxyConnectionFactory}); without
 * one, and with a v2 {@code LOCAL} header or a v1 {@code UNKNOWN} one (the balancer's own health checks, says the
 * spec), the peer's own address stands. A header naming anything but an IP address and port — an AF_UNIX client,
 * whose real address the balancer cannot tell us, a v1 host name, which only DNS would turn into an address —
 * closes the connection (Jetty itself closes on v2 {@code UNSPEC} and datagram headers): every request that
 * reaches a handler has an IP address, which conditional access, throttling and the logs decide on. A connection
 * from any other peer is never parsed for a PROXY header: if it starts with one it is closed at once (and logged,
 * at most once a minute), so an untrusted peer cannot choose its address; otherwise it goes on to TLS as a direct
 * client.
 */
public final class ProxyProtocolGate extends ProxyConnectionFactory {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyProtocolGate.class);
    private static final byte[] V1 = "PROXY".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] V2 = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final long WARN_EVERY = TimeUnit.MINUTES.toNanos(1);
    /** The protocol name of {@link #addressCheck()}, which the PROXY header parsers hand every connection to. */
    static final String ADDRESS_CHECK = "proxy-address-check";

    private final TrustedProxies trusted;
    private final String nextProtocol;
    private final DetectorConnectionFactory untrusted;
    private final AddressCheck addressCheck = new AddressCheck();
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY);
    private final AtomicLong lastAddressWarning = new AtomicLong(System.nanoTime() - WARN_EVERY);

    /** @param nextProtocol the protocol after the PROXY header, e.g. {@code "ssl"} */
    public ProxyProtocolGate(TrustedProxies trusted, String nextProtocol) {
        super(ADDRESS_CHECK);
        this.nextProtocol = Objects.requireNonNull(nextProtocol, "nextProtocol");
        this.trusted = trusted;
        this.untrusted = new DetectorConnectionFactory(new Refusal()) {
            @Override
            protected void nextProtocol(Connector connector, EndPoint endPoint, ByteBuffer buffer) {
                upgradeToConnectionFactory(connector.getConnectionFactory(nextProtocol), connector, endPoint);
            }
        };
        addBean(untrusted);
    }

    /**
     * The factory that must come right after this one in the listener's list: it passes a connection whose PROXY header
     * named an IP address (or none) on to the next protocol, and closes any other. Left out of the list, every
     * connection with a PROXY header is closed (Jetty finds no protocol to go on to): the gate fails closed.
     */
    public ConnectionFactory addressCheck() {
        return addressCheck;
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        if (endPoint.getRemoteSocketAddress() instanceof InetSocketAddress peer && peer.getAddress() != null
                && trusted.contains(peer.getAddress())) {
            return super.newConnection(connector, endPoint);
        }
        return untrusted.newConnection(connector, endPoint);
    }

    private static boolean warnNow(AtomicLong last) {
        long now = System.nanoTime(), then = last.get();
        return now - then >= WARN_EVERY && last.compareAndSet(then, now);
    }

    /**
     * An IP address given as such: a v2 header's address bytes, or a v1 header's literal (Jetty resolves whatever a v1
     * header names, so a name comes back resolved, or unresolved, but never with a literal as its host string).
     */
    static boolean isIpAddress(SocketAddress address) {
        if (!(address instanceof InetSocketAddress inet) || inet.isUnresolved() || inet.getAddress() == null) {
            return false;
        }
        try {
            InetAddress.ofLiteral(inet.getHostString());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Passes on connections whose remote address (as the PROXY header set it) is an IP address; closes the others. */
    private final class AddressCheck extends AbstractConnectionFactory {
        AddressCheck() {
            super(ADDRESS_CHECK);
        }

        @Override
        public Connection newConnection(Connector connector, EndPoint endPoint) {
            SocketAddress reported = endPoint.getRemoteSocketAddress();
            if (isIpAddress(reported)) {
                return connector.getConnectionFactory(nextProtocol).newConnection(connector, endPoint);
            }
            SocketAddress peer = endPoint instanceof EndPoint.Wrapper w ? w.unwrap().getRemoteSocketAddress() : reported;
            String what = reported instanceof UnixDomainSocketAddress ? "an AF_UNIX client, whose address it cannot know"
                    : "a host name instead of an address";
            if (warnNow(lastAddressWarning)) {
                LOG.warn("closed a connection from trusted proxy {}: its PROXY header reports {}; only TCP clients over IPv4 or IPv6"
                        + " (or LOCAL, for its health checks) are accepted", peer, what);
            } else {
                LOG.debug("closed a connection from trusted proxy {}: its PROXY header reports {}", peer, what);
            }
            return new Closing(endPoint, connector.getExecutor());
        }
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
            if (warnNow(lastWarning)) {
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
