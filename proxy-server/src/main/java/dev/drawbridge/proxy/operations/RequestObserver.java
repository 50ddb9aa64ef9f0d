package dev.drawbridge.proxy.operations;

import dev.drawbridge.model.http.RequestIds;
import dev.drawbridge.proxy.apps.Routed;
import dev.drawbridge.proxy.edge.RequestId;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wraps the whole public chain ({@code HostRouter} and everything after it): while a request on the public listener is
 * handled, its {@link RequestId} is in the log context (MDC key {@value RequestIds#MDC_KEY}), so every line the
 * handlers write on its thread carries it; when its response completes, its latency goes to
 * {@code drawbridge_requests_seconds} by app and status class, and one line to the access log (logger
 * {@value #ACCESS_LOGGER}, at INFO: method, host, app, status, milliseconds; never the path or query, which may hold
 * what a user would not want logged, nor any header). Requests on the tunnel listener (connectors' WebSockets) pass
 * through unobserved.
 */
public final class RequestObserver extends Handler.Wrapper {
    /** The access log's logger: INFO for a line per request (off in the shipped configuration). */
    public static final String ACCESS_LOGGER = "drawbridge.access.proxy";
    private static final Logger ACCESS = LoggerFactory.getLogger(ACCESS_LOGGER);

    private final Connector tunnelListener;
    private final String adminHost;
    private final String loginHost;
    private final ProxyMetrics metrics;

    public RequestObserver(Connector tunnelListener, String adminHost, String loginHost, ProxyMetrics metrics, Handler next) {
        super(next);
        this.tunnelListener = tunnelListener;
        this.adminHost = adminHost;
        this.loginHost = loginHost;
        this.metrics = metrics;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (request.getConnectionMetaData().getConnector() == tunnelListener) {
            return super.handle(request, response, callback);
        }
        RequestId id = RequestId.ATTRIBUTE.find(request).orElseGet(() -> {
            RequestId generated = RequestId.generate();
            RequestId.ATTRIBUTE.set(request, generated);
            return generated;
        });
        Observed observed = new Observed(callback, request, response, id, System.nanoTime());
        MDC.put(RequestIds.MDC_KEY, id.value());
        try {
            boolean handled = super.handle(request, response, observed);
            if (!handled) {
                // Jetty answers 404 itself, through the original callback.
                observed.done(404);
            }
            return handled;
        } catch (Throwable t) {
            // Jetty answers 500 itself, through the original callback.
            observed.done(500);
            throw t;
        } finally {
            MDC.remove(RequestIds.MDC_KEY);
        }
    }

    /** The request's metrics and access-log line, once, when its response completes (on whichever thread completes it). */
    private final class Observed extends Callback.Nested {
        private final Request request;
        private final Response response;
        private final RequestId id;
        private final long startNanos;
        private final AtomicBoolean done = new AtomicBoolean();

        Observed(Callback callback, Request request, Response response, RequestId id, long startNanos) {
            super(callback);
            this.request = request;
            this.response = response;
            this.id = id;
            this.startNanos = startNanos;
        }

        @Override
        public void succeeded() {
            done(response.getStatus());
            super.succeeded();
        }

        @Override
        public void failed(Throwable x) {
            done(0);
            super.failed(x);
        }

        void done(int status) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            long nanos = System.nanoTime() - startNanos;
            String app = appOf(request);
            metrics.request(app, status, nanos);
            if (ACCESS.isInfoEnabled()) {
                String outer = MDC.get(RequestIds.MDC_KEY);
                MDC.put(RequestIds.MDC_KEY, id.value());
                try {
                    ACCESS.info("{} {} app={} status={} ms={}", request.getMethod(), Request.getServerName(request), app,
                            status == 0 ? ProxyMetrics.ABORTED : status, nanos / 1_000_000);
                } finally {
                    if (outer == null) {
                        MDC.remove(RequestIds.MDC_KEY);
                    } else {
                        MDC.put(RequestIds.MDC_KEY, outer);
                    }
                }
            }
        }
    }

    /** The {@code app} label: the routed app's id, or which of the server's own hosts, or {@code unrouted}. */
    private String appOf(Request request) {
        return Routed.ATTRIBUTE.find(request).map(r -> r.app().id()).orElseGet(() -> {
            String host = Request.getServerName(request);
            return adminHost.equalsIgnoreCase(host) ? "admin" : loginHost.equalsIgnoreCase(host) ? "signin" : "unrouted";
        });
    }
}
