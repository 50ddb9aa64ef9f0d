package dev.drawbridge.proxy.web;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.Scheduler;

import java.time.Duration;
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

    private HandshakeDeadline(ServerConnector connector, Duration deadline) {
        this.connector = connector;
        this.deadline = deadline;
    }

    /** Gives every TLS connection of {@code connector} {@code deadline} to complete its handshake. */
    public static void apply(ServerConnector connector, Duration deadline) {
        connector.addEventListener(new HandshakeDeadline(connector, deadline));
    }

    @Override
    public void onOpened(Connection connection) {
        if (!(connection instanceof SslConnection ssl)) {
            return; // the connections TLS hands on to (HTTP/1.1, h2, the tunnel) open only after a completed handshake
        }
        EndPoint network = ssl.getEndPoint();
        Scheduler.Task expiry = connector.getScheduler().schedule(
                () -> network.close(new TimeoutException("no TLS handshake within " + deadline.toMillis() + " ms")),
                deadline.toMillis(), TimeUnit.MILLISECONDS);
        ssl.addHandshakeListener(new SslHandshakeListener() {
            @Override
            public void handshakeSucceeded(Event event) {
                expiry.cancel();
            }

            @Override
            public void handshakeFailed(Event event, Throwable failure) {
                expiry.cancel();
            }
        });
    }

    @Override
    public void onClosed(Connection connection) {
        // Nothing to release: a deadline that fires on a closed connection closes nothing.
    }
}
