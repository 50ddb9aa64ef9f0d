package dev.drawbridge.proxy.tunnel;

import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.TunnelStream;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sockets whose bytes travel through a connector ({@code proxyToConnector}, then
 * {@code connectorToUpstream} over TCP): for server-side clients of on-premises services that the
 * server cannot reach itself, such as LDAP. Each socket is one raw TCP stream ({@link RequestHead#tcp})
 * on the least-loaded live tunnel of a connector group; the connector connects to the host and port
 * the socket is connected to, resolving the name inside the network. TLS layered on such a socket
 * ({@link #sslSocketFactory}) runs from this server to the target: the connector relays ciphertext.
 */
public final class TunnelSockets {
    /** Connect timeout when the caller gives none (the connector caps any timeout at 30 s). */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final ConnectorPicker picker;

    public TunnelSockets(ConnectorPicker picker) {
        this.picker = picker;
    }

    /** Whether a connector of the group has a usable tunnel to this server right now. */
    public boolean available(String groupId) {
        return picker.available(groupId);
    }

    /** Unconnected sockets (and connected ones, by host and port) through connectors of {@code groupId}. */
    public SocketFactory socketFactory(String groupId, String purpose) {
        return new Plain(groupId, purpose);
    }

    /** TLS with {@code tls}'s settings over {@link #socketFactory}, end to end from this server to the target. */
    public SSLSocketFactory sslSocketFactory(String groupId, String purpose, SSLSocketFactory tls) {
        return new Layered(new Plain(groupId, purpose), tls);
    }

    /** Opens the stream on a live tunnel of the group ({@link ConnectorPicker}). */
    TunnelStream open(String groupId, RequestHead head) throws IOException {
        return picker.open(groupId, head, new ConnectorPicker.Attempt()).stream();
    }

    /** A {@link Socket} over a tunnel stream; all behaviour is in {@link TunnelSocketImpl}. */
    static final class TunnelSocket extends Socket {
        TunnelSocket(TunnelSocketImpl impl) throws SocketException {
            super(impl);
        }
    }

    private final class Plain extends SocketFactory {
        private final String groupId;
        private final String purpose;

        Plain(String groupId, String purpose) {
            this.groupId = groupId;
            this.purpose = purpose;
        }

        @Override
        public Socket createSocket() throws SocketException {
            return new TunnelSocket(new TunnelSocketImpl(head -> open(groupId, head), purpose, DEFAULT_CONNECT_TIMEOUT));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            Socket s = createSocket();
            s.connect(InetSocketAddress.createUnresolved(host, port));
            return s;
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return createSocket(host, port);
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            Socket s = createSocket();
            s.connect(new InetSocketAddress(host, port));
            return s;
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return createSocket(address, port);
        }
    }

    /**
     * TLS layered on a tunnel socket. There is no unconnected form (a TLS socket can only be layered on a
     * connected one): {@link #createSocket()} fails, and callers such as UnboundID then connect with
     * {@link #createSocket(InetAddress, int)}.
     */
    private static final class Layered extends SSLSocketFactory {
        private final SocketFactory plain;
        private final SSLSocketFactory tls;

        Layered(SocketFactory plain, SSLSocketFactory tls) {
            this.plain = plain;
            this.tls = tls;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return tls.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return tls.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket() throws IOException {
            throw new SocketException("TLS over a tunnel needs the target: use createSocket(host, port)");
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return tls.createSocket(s, host, port, autoClose);
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return layer(plain.createSocket(host, port), host, port);
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return createSocket(host, port);
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            // The name the caller connected to (no reverse lookup): it is what the certificate must match.
            String name = new InetSocketAddress(host, port).getHostString();
            return layer(plain.createSocket(host, port), name, port);
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return createSocket(address, port);
        }

        private Socket layer(Socket tunnel, String host, int port) throws IOException {
            try {
                return tls.createSocket(tunnel, host, port, true);
            } catch (IOException | RuntimeException e) {
                tunnel.close();
                throw e;
            }
        }
    }
}
