package dev.drawbridge.proxy.web;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.HTTP2Connection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.IdleTimeout;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.Callback;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets a stopping node drain without refusing anyone it can still serve (docs/scale-out.md, "Draining"). Counts the requests
 * in flight below it, and the connections they run on. Once {@link #drain()} is called, a request that still arrives on a
 * connection already open (a keep-alive connection, an HTTP/2 stream sent before the GOAWAY arrived) is served as before,
 * since the node's tunnels stay open while it drains, and an HTTP/1 answer says {@code Connection: close} so that the client
 * moves to another node. ({@code GracefulHandler}, used before, answered such requests 503.) {@link #closeIdle} closes the
 * connections that carry no request, so that clients and balancers reconnect elsewhere at once rather than send one more
 * request here.
 */
public final class DrainHandler extends Handler.Wrapper {
    private final AtomicLong inFlight = new AtomicLong();
    /** Requests in flight per connection: a connection absent here carries none. */
    private final Map<Connection, AtomicInteger> busy = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private volatile boolean draining;
    /** HTTP/2 sessions sent their GOAWAY already. */
    private final Set<Connection> toldToGoAway = ConcurrentHashMap.newKeySet();

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Connection connection = request.getConnectionMetaData().getConnection();
        inFlight.incrementAndGet();
        busy.computeIfAbsent(connection, c -> new AtomicInteger()).incrementAndGet();
        if (draining && request.getConnectionMetaData().getHttpVersion() != HttpVersion.HTTP_2
                && request.getConnectionMetaData().getHttpVersion() != HttpVersion.HTTP_3) {
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        }
        // Once, whichever comes first: the callback's completion, or the handler's throw or refusal (a handler that completes
        // its callback and then throws would otherwise leave the count twice, and a drain end with a request still running).
        AtomicBoolean left = new AtomicBoolean();
        Runnable done = () -> {
            if (left.compareAndSet(false, true)) {
                done(connection);
            }
        };
        boolean handled;
        try {
            handled = super.handle(request, response, Callback.from(callback, done));
        } catch (Throwable t) {
            done.run();
            throw t;
        }
        if (!handled) {
            done.run();
        }
        return handled;
    }

    private void done(Connection connection) {
        busy.computeIfPresent(connection, (c, n) -> n.decrementAndGet() <= 0 ? null : n);
        if (inFlight.decrementAndGet() == 0 && draining) {
            drained.complete(null);
        }
    }

    /**
     * From now on the node drains: requests still arriving are served and told to close their connection; the returned
     * future completes when no request is in flight any more.
     */
    public CompletableFuture<Void> drain() {
        draining = true;
        if (inFlight.get() == 0) {
            drained.complete(null);
        }
        return drained;
    }

    /** Requests in flight now. */
    public long inFlight() {
        return inFlight.get();
    }

    /**
     * Closes {@code connector}'s HTTP/1 connections that carry no request and have been silent for {@code quiet} (a client
     * that sent nothing for that long is no more likely to send at this instant than at any idle timeout, which clients and
     * balancers retry), and tells HTTP/2 sessions to go away (GOAWAY: streams in flight finish, new ones go elsewhere).
     * Returns how many connections it closed or told.
     */
    public int closeIdle(Connector connector, Duration quiet) {
        int closed = 0;
        for (EndPoint endPoint : connector.getConnectedEndPoints()) {
            Connection c = application(endPoint.getConnection());
            if (c instanceof HTTP2Connection h2) {
                if (toldToGoAway.add(h2)) {
                    h2.getSession().shutdown();
                    closed++;
                }
            } else if (c instanceof HttpConnection h1 && !busy.containsKey(h1) && h1.getParser().isStart()
                    && !(endPoint instanceof IdleTimeout t && t.getIdleFor() < quiet.toMillis())) {
                endPoint.close();
                closed++;
            }
        }
        return closed;
    }

    /**
     * The HTTP connections (HTTP/1 and HTTP/2; not upgraded WebSockets) still open on {@code connector}: while there is one,
     * a request may still arrive, so a drain waits for none (each ends with its answer's {@code Connection: close}, its
     * quiet close, or its GOAWAY).
     */
    public int openHttpConnections(Connector connector) {
        int open = 0;
        for (EndPoint endPoint : connector.getConnectedEndPoints()) {
            Connection c = application(endPoint.getConnection());
            if (endPoint.isOpen() && (c instanceof HTTP2Connection || c instanceof HttpConnection)) {
                open++;
            }
        }
        return open;
    }

    /** The connection that speaks HTTP on an endpoint: the one inside TLS. */
    private static Connection application(Connection c) {
        Connection inner = c;
        for (int depth = 0; depth < 4 && inner instanceof SslConnection ssl; depth++) {
            inner = ssl.getSslEndPoint().getConnection();
        }
        return inner;
    }
}
