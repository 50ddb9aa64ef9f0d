package dev.drawbridge.proxy.tunnel;

import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.ResetCode;
import dev.drawbridge.model.tunnel.ResponseHead;
import dev.drawbridge.model.tunnel.StreamResetException;
import dev.drawbridge.model.tunnel.TunnelStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOptions;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * The {@link SocketImpl} behind a {@link TunnelSockets} socket: {@code connect} opens a raw TCP stream
 * ({@link RequestHead#tcp}) on a tunnel of the group and waits for the connector's HEAD 200; reads and
 * writes are the stream's DATA (with its flow control); {@code shutdownOutput} is END; close ends the
 * output and, if the peer does not finish within a short grace period, resets the stream.
 * {@code java.net.Socket} keeps the socket's state (connected, closed, shut down); this class keeps the
 * stream. {@code SO_TIMEOUT} is honoured for reads (UnboundID's reader relies on it); other options are
 * recorded and answered but change nothing: the connector sets TCP_NODELAY and keep-alive upstream.
 */
final class TunnelSocketImpl extends SocketImpl {
    /** How long a closed socket waits for the peer's END before resetting the stream. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
    private static final Duration HEAD_MARGIN = Duration.ofSeconds(2);

    /** Opens a stream on a live tunnel of the socket's group. */
    @FunctionalInterface
    interface Opener {
        TunnelStream open(RequestHead head) throws IOException;
    }

    private final Opener opener;
    private final String purpose;
    private final Duration defaultConnectTimeout;
    private volatile TunnelStream stream;
    private volatile int soTimeoutMillis;
    private volatile boolean inputShutdown;
    private volatile boolean closed;
    private boolean keepAlive;
    private InputStream in;
    private OutputStream out;

    TunnelSocketImpl(Opener opener, String purpose, Duration defaultConnectTimeout) {
        this.opener = opener;
        this.purpose = purpose;
        this.defaultConnectTimeout = defaultConnectTimeout;
    }

    @Override
    protected void create(boolean streamSocket) throws IOException {
        if (!streamSocket) {
            throw new SocketException("tunnel sockets are stream sockets");
        }
    }

    @Override
    protected void connect(String host, int port) throws IOException {
        connect(InetSocketAddress.createUnresolved(host, port), 0);
    }

    @Override
    protected void connect(InetAddress address, int port) throws IOException {
        connect(new InetSocketAddress(address, port), 0);
    }

    @Override
    protected void connect(SocketAddress endpoint, int timeoutMillis) throws IOException {
        if (!(endpoint instanceof InetSocketAddress target)) {
            throw new IllegalArgumentException("unsupported address " + endpoint);
        }
        // The host name as given (never resolved here): the connector resolves it inside the network.
        String host = target.getHostString();
        Duration timeout = timeoutMillis > 0 ? Duration.ofMillis(timeoutMillis) : defaultConnectTimeout;
        TunnelStream s = opener.open(RequestHead.tcp(purpose, host, target.getPort(), timeout));
        ResponseHead head;
        try {
            head = s.awaitHead(timeout.plus(HEAD_MARGIN));
        } catch (StreamResetException e) {
            throw new ConnectException("the connector could not connect to " + host + ":" + target.getPort() + ": "
                    + e.reason() + " (" + e.code() + ")");
        } catch (IOException e) {
            s.reset(ResetCode.CANCEL, "connect abandoned");
            throw e;
        } catch (TimeoutException e) {
            s.reset(ResetCode.CANCEL, "no answer in time");
            throw new SocketTimeoutException("the connector did not answer within " + timeout.plus(HEAD_MARGIN).toSeconds()
                    + " s connecting to " + host + ":" + target.getPort());
        }
        if (head.status() != 200) {
            s.reset(ResetCode.PROTOCOL_ERROR, "unexpected status");
            throw new ConnectException("the connector answered " + head.status() + " for a TCP stream; is it too old?");
        }
        if (closed) {
            // The caller gave up (and closed this socket) while the connector was still connecting.
            s.reset(ResetCode.CANCEL, "socket closed while connecting");
            throw new SocketException("Socket closed");
        }
        this.stream = s;
        this.address = target.isUnresolved() ? InetAddress.getByAddress(host, new byte[4]) : target.getAddress();
        this.port = target.getPort();
        this.in = new In(s);
        this.out = new Out(s);
    }

    @Override
    protected void bind(InetAddress host, int port) throws IOException {
        throw new SocketException("tunnel sockets cannot bind");
    }

    @Override
    protected void listen(int backlog) throws IOException {
        throw new SocketException("tunnel sockets cannot listen");
    }

    @Override
    protected void accept(SocketImpl s) throws IOException {
        throw new SocketException("tunnel sockets cannot accept");
    }

    @Override
    protected InputStream getInputStream() throws IOException {
        return connected().in;
    }

    @Override
    protected OutputStream getOutputStream() throws IOException {
        return connected().out;
    }

    private TunnelSocketImpl connected() throws SocketException {
        if (stream == null) {
            throw new SocketException("not connected");
        }
        return this;
    }

    @Override
    protected int available() throws IOException {
        return ((In) connected().in).available();
    }

    @Override
    protected void close() {
        closed = true;
        TunnelStream s = stream;
        if (s == null || s.isReset()) {
            return;
        }
        try {
            s.endOutput();
        } catch (IOException e) {
            s.reset(ResetCode.CANCEL, "socket closed");
            return;
        }
        // Like TCP's FIN: let the peer finish (reading, and so granting credit, what it still sends), then
        // reset if it does not, so a stream never outlives its socket for long.
        Thread.ofVirtual().name("tunnel-socket-close-" + s.id()).start(() -> {
            long deadline = System.nanoTime() + CLOSE_GRACE.toNanos();
            try {
                while (System.nanoTime() < deadline) {
                    if (s.read(Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))) == null) {
                        return;
                    }
                }
            } catch (IOException e) {
                // reset or timed out
            }
            s.reset(ResetCode.CANCEL, "socket closed");
        });
    }

    @Override
    protected void shutdownInput() {
        inputShutdown = true;
    }

    @Override
    protected void shutdownOutput() throws IOException {
        connected();
        stream.endOutput();
    }

    @Override
    protected void sendUrgentData(int data) throws IOException {
        throw new SocketException("urgent data is not supported on tunnel sockets");
    }

    @Override
    public void setOption(int optID, Object value) throws SocketException {
        switch (optID) {
            case SocketOptions.SO_TIMEOUT -> {
                int t = (Integer) value;
                if (t < 0) {
                    throw new IllegalArgumentException("timeout < 0");
                }
                soTimeoutMillis = t;
            }
            case SocketOptions.SO_KEEPALIVE -> keepAlive = (Boolean) value;
            default -> {
                // TCP_NODELAY, buffer sizes, linger, reuse: meaningful only for the connector's socket.
            }
        }
    }

    @Override
    public Object getOption(int optID) throws SocketException {
        return switch (optID) {
            case SocketOptions.SO_TIMEOUT -> soTimeoutMillis;
            case SocketOptions.SO_KEEPALIVE -> keepAlive;
            case SocketOptions.TCP_NODELAY -> true;
            case SocketOptions.SO_SNDBUF, SocketOptions.SO_RCVBUF -> 64 * 1024;
            case SocketOptions.SO_LINGER -> -1;
            case SocketOptions.SO_BINDADDR -> InetAddress.getLoopbackAddress();
            case SocketOptions.SO_REUSEADDR, SocketOptions.SO_OOBINLINE -> false;
            case SocketOptions.IP_TOS -> 0;
            default -> throw new SocketException("option " + optID + " is not supported on tunnel sockets");
        };
    }

    /** The stream's inbound data, honouring SO_TIMEOUT. */
    private final class In extends InputStream {
        private final TunnelStream s;
        private byte[] current;
        private int pos;
        private boolean ended;

        In(TunnelStream s) {
            this.s = s;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (closed) {
                throw new SocketException("Socket closed");
            }
            if (inputShutdown || ended) {
                return -1;
            }
            if (current == null || pos == current.length) {
                int timeout = soTimeoutMillis;
                current = timeout > 0 ? s.read(Duration.ofMillis(timeout)) : s.read();
                pos = 0;
                if (current == null) {
                    ended = true;
                    return -1;
                }
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public synchronized int available() {
            return (int) Math.min(Integer.MAX_VALUE, (current == null ? 0 : current.length - pos) + s.bufferedInbound());
        }
    }

    /** The stream's outbound data; closing it is the socket's business. */
    private static final class Out extends OutputStream {
        private final TunnelStream s;

        Out(TunnelStream s) {
            this.s = s;
        }

        @Override
        public void write(int b) throws IOException {
            s.write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            s.write(b, off, len);
        }
    }
}
