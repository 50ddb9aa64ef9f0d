package dev.drawbridge.proxy.web;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.Scheduler;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Closes a TLS connection whose handshake has not completed within a fixed time of its opening, however the client
 * paces its bytes (docs/operations.md, "Connection limits"). A listener's connection limit ({@link ListenerLimit})
 * counts a connection from its accept, before TLS and before any certificate is asked for: without a deadline a client
 * that never finishes its handshake (or sends its ClientHello a byte every few seconds, which an idle timeout never
 * sees) would hold a place for the listener's whole idle timeout (5 minutes), so a few thousand silent sockets
 * could keep connectors out of the tunnel port, or everyone out of the public one. A real client finishes in
 * milliseconds; the deadline is generous for a slow mobile link.
 */
public final class HandshakeDeadline implements Connection.Listener {
    /** How long a connection may take from its opening to a completed TLS handshake. */
    public static final Duration DEFAULT = Duration.ofSeconds(10);

    private final ServerConnector connector;
    private final Duration deadline;
    /** The deadline of each socket still waiting for its handshake, by the socket's own end point. */
    private final Map<EndPoint, Scheduler.Task> pending = new ConcurrentHashMap<>();

    private HandshakeDeadline(ServerConnector connector, Duration deadline) {
        this.connector = connector;
        this.deadline = deadline;
    }

    /** Gives every TLS connection of {@code connector} {@code deadline} from its opening to complete its handshake. */
    public static HandshakeDeadline apply(ServerConnector connector, Duration deadline) {
        HandshakeDeadline d = new HandshakeDeadline(connector, deadline);
        connector.addEventListener(d);
        return d;
    }

    @Override
    public void onOpened(Connection connection) {
        EndPoint endPoint = connection.getEndPoint();
        if (endPoint instanceof SslConnection.SslEndPoint) {
            return; // a connection over TLS (HTTP/1.1, h2, the tunnel): its network connection's deadline covers it
        }
        // Below TLS: the PROXY-protocol gate's detection (--proxy-protocol) and then TLS itself, on the same socket. The
        // clock starts at the first of them, so a client that stays silent before the gate is cut as well.
        EndPoint network = network(endPoint);
        Scheduler.Task expiry = pending.computeIfAbsent(network, n -> connector.getScheduler().schedule(
                () -> {
                    pending.remove(n);
                    n.close(new TimeoutException("no TLS handshake within " + deadline.toMillis() + " ms"));
                },
                deadline.toMillis(), TimeUnit.MILLISECONDS));
        if (connection instanceof SslConnection ssl) {
            ssl.addHandshakeListener(new SslHandshakeListener() {
                @Override
                public void handshakeSucceeded(Event event) {
                    disarm(network, expiry);
                }

                @Override
                public void handshakeFailed(Event event, Throwable failure) {
                    disarm(network, expiry);
                }
            });
        }
    }

    @Override
    public void onClosed(Connection connection) {
        EndPoint endPoint = connection.getEndPoint();
        if (endPoint instanceof SslConnection.SslEndPoint) {
            return;
        }
        EndPoint network = network(endPoint);
        // A connection below TLS also closes when it hands the socket on (the gate to TLS): only a closed socket ends
        // the deadline here, so that one that left before its handshake is not kept reachable for the rest of it.
        if (!network.isOpen()) {
            Scheduler.Task expiry = pending.remove(network);
            if (expiry != null) {
                expiry.cancel();
            }
        }
    }

    /** How many connections are waiting for their handshake (for tests). */
    int pending() {
        return pending.size();
    }

    private void disarm(EndPoint network, Scheduler.Task expiry) {
        pending.remove(network, expiry);
        expiry.cancel();
    }

    /** The socket's own end point under any wrapping (the PROXY protocol's). */
    private static EndPoint network(EndPoint endPoint) {
        EndPoint e = endPoint;
        while (e instanceof EndPoint.Wrapper wrapper && wrapper.unwrap() != null && wrapper.unwrap() != e) {
            e = wrapper.unwrap();
        }
        return e;
    }
}
