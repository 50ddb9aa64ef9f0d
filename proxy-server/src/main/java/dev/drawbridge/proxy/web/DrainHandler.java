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

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
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
 * <p>
 * And an HTTP/1 answer that fails once committed (the app's answer cut in the middle) ends with a reset of the TCP
 * connection, never an orderly close: an HTTP/1.0 client reading an answer of unknown length (no chunking in 1.0) takes
 * an orderly close for its end and would keep a short body as the whole one.
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
        boolean http1 = request.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_1_0
                || request.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_1_1;
        Callback counted = Callback.from(callback, done);
        Callback resetOnCut = !http1 ? counted : new Callback() {
            @Override
            public void succeeded() {
                counted.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                if (response.isCommitted()) {
                    reset(connection.getEndPoint());
                }
                counted.failed(x);
            }

            @Override
            public InvocationType getInvocationType() {
                return counted.getInvocationType();
            }
        };
        boolean handled;
        try {
            handled = super.handle(request, response, resetOnCut);
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
        return closeIdle(connector, quiet, false);
    }

    /**
     * As {@link #closeIdle(Connector, Duration)}, and with {@code cutUnfinished} also the HTTP/1 connections in the middle
     * of a request's headers (no request handled yet; one whose headers are whole is never cut, counted here or not): a
     * client dribbling its headers would otherwise hold the drain to its stop timeout. Called so once the drain has run
     * long enough for any honest client to finish its headers.
     */
    public int closeIdle(Connector connector, Duration quiet, boolean cutUnfinished) {
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
            } else if (cutUnfinished && c instanceof HttpConnection h1 && !busy.containsKey(h1) && midHeaders(h1) && endPoint.isOpen()) {
                endPoint.close();
                closed++;
            }
        }
        return closed;
    }

    /**
     * Whether {@code h1} holds part of a request's headers, not all of them: only such a connection carries no request any
     * handler serves. Not "not at the start": once the headers are whole, a request is being answered, and not always below
     * this handler (the sign-in host's, the admin API's are not counted in {@link #busy}); cutting those lost their answers.
     */
    private static boolean midHeaders(HttpConnection h1) {
        return !h1.getParser().isStart() && h1.getParser().inHeaderState();
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

    /**
     * Resets the TCP connection under {@code endPoint} (below TLS: no close_notify first, which a client would also take
     * for the end of the answer): SO_LINGER 0, then close, so the kernel sends RST rather than FIN.
     */
    static void reset(EndPoint endPoint) {
        EndPoint network = endPoint;
        for (int depth = 0; depth < 4 && network instanceof SslConnection.SslEndPoint ssl; depth++) {
            network = ssl.getSslConnection().getEndPoint();
        }
        if (network.getTransport() instanceof SocketChannel channel) {
            try {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException | RuntimeException e) {
                // Closed already: nothing more to tell the client.
                return;
            }
        }
        network.close(new IOException("the answer was cut"));
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
