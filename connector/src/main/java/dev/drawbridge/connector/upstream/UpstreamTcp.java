package dev.drawbridge.connector.upstream;

import dev.drawbridge.model.http.LocalhostNames;
import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.ResetCode;
import dev.drawbridge.model.tunnel.ResponseHead;
import dev.drawbridge.model.tunnel.StreamResetException;
import dev.drawbridge.model.tunnel.TunnelStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * A raw TCP stream ({@link RequestHead#isTcp()}): the connector opens a socket to the
 * {@code tcp://host:port} the proxy named ({@code connectorToUpstream}), answers HEAD 200 once
 * connected or resets the stream with {@link ResetCode#UPSTREAM_UNREACHABLE}, then relays bytes both
 * ways. Flow control is the tunnel's per-stream window on one side and the socket's on the other;
 * END and socket EOF map to each other (half-close), a reset on either side closes the socket.
 * Payloads are never logged (they may carry passwords, e.g. an LDAP bind).
 *
 * <p>The proxy is authenticated (mutual TLS, pinned CA), so the connector connects where it is told,
 * like it does for HTTP apps; it keeps no list of allowed targets.
 */
public final class UpstreamTcp {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamTcp.class);
    static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final int BUFFER = 32 * 1024;

    private UpstreamTcp() {
    }

    /** Serves one stream on the calling (virtual) thread until both directions are done. */
    public static void run(TunnelStream stream) {
        RequestHead head = stream.request();
        String host;
        int port;
        try {
            URI uri = URI.create(head.upstreamUri());
            host = uri.getHost();
            port = uri.getPort();
            if (host == null || port < 1) {
                throw new IllegalArgumentException("no host or port");
            }
        } catch (IllegalArgumentException e) {
            stream.reset(ResetCode.UPSTREAM_UNREACHABLE, "invalid TCP target " + head.upstreamUri());
            return;
        }
        String target = host + ":" + port;
        Socket socket = new Socket();
        try {
            InetAddress address = LocalhostNames.loopbackFor(host).orElse(null);
            if (address == null) {
                address = InetAddress.getByName(host);
            }
            socket.connect(new InetSocketAddress(address, port), (int) connectTimeout(head.timeout()).toMillis());
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            LOG.debug("TCP stream {} ({}) to {} failed: {}", stream.id(), head.appId(), target, e.toString());
            stream.reset(ResetCode.UPSTREAM_UNREACHABLE, "cannot connect to " + target + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
            return;
        }
        LOG.debug("TCP stream {} ({}) connected to {}", stream.id(), head.appId(), target);
        try {
            stream.sendHead(new ResponseHead(200, List.of()));
        } catch (IOException e) {
            closeQuietly(socket);
            return;
        }
        Thread proxyToUpstream = Thread.ofVirtual().name("tcp-up-" + stream.id()).start(() -> proxyToUpstream(stream, socket));
        upstreamToProxy(stream, socket);
        try {
            proxyToUpstream.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stream.reset(ResetCode.CANCEL, "connector stopping");
        }
        closeQuietly(socket);
        LOG.debug("TCP stream {} to {} closed", stream.id(), target);
    }

    static Duration connectTimeout(Duration requested) {
        if (requested.isZero() || requested.isNegative() || requested.compareTo(MAX_CONNECT_TIMEOUT) > 0) {
            return MAX_CONNECT_TIMEOUT;
        }
        return requested;
    }

    /** The proxy's bytes to the socket; END half-closes the socket's output. */
    private static void proxyToUpstream(TunnelStream stream, Socket socket) {
        try {
            InputStream in = stream.inputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buf = new byte[BUFFER];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
            out.flush();
            socket.shutdownOutput();
        } catch (StreamResetException e) {
            // The proxy gave up (or the tunnel dropped): abort the upstream connection.
            closeQuietly(socket);
        } catch (IOException e) {
            if (!socket.isClosed()) {
                stream.reset(ResetCode.UPSTREAM_ERROR, "the TCP connection failed: " + e.getMessage());
                closeQuietly(socket);
            }
        }
    }

    /** The socket's bytes to the proxy; EOF ends the stream's output (half-close). */
    private static void upstreamToProxy(TunnelStream stream, Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[BUFFER];
            int n;
            while ((n = in.read(buf)) >= 0) {
                stream.write(buf, 0, n);
            }
            stream.endOutput();
        } catch (StreamResetException e) {
            closeQuietly(socket);
        } catch (IOException e) {
            if (!stream.isReset()) {
                stream.reset(ResetCode.UPSTREAM_ERROR, "the TCP connection failed: " + e.getMessage());
            }
            closeQuietly(socket);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
