package dev.drawbridge.proxy.operations;

import dev.drawbridge.model.http.ManagementHosts;
import dev.drawbridge.model.operations.HealthReport;
import dev.drawbridge.proxy.config.ConnectionLimits;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.web.ListenerLimit;
import dev.drawbridge.proxy.web.Responses;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The outermost handler of the server: a request that came in on the management listener is answered here, and never
 * reaches the public chain; every other request goes on to it. The management listener is plain HTTP without
 * authentication, for Prometheus and health probes on the same host (docs/operations.md):
 * <pre>
 *   GET /metrics        Prometheus text format (0.0.4)
 *   GET /health/live    200 / 503 and a JSON {@link HealthReport}
 *   GET /health/ready   200 / 503 and a JSON {@link HealthReport}
 * </pre>
 * It refuses (403) a request whose {@code Host} a web page could have rebound ({@link ManagementHosts}, decided from the
 * address the listener is bound to, not from the bind's spelling): bound to loopback, anything but a loopback name or
 * address; bound elsewhere or to the wildcard, any DNS name. Every answer is {@code no-store} and {@code nosniff}.
 */
public final class ManagementEndpoints extends Handler.Wrapper {
    public static final String METRICS = "/metrics", LIVE = "/health/live", READY = "/health/ready";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final ServerConnector listener;
    private final Supplier<String> metrics;
    private final Health health;

    /**
     * @param listener the management listener (requests on any other go to {@code next}); its bound address decides the
     *                 {@code Host}s answered
     * @param metrics  the Prometheus exposition, computed per scrape
     */
    public ManagementEndpoints(ServerConnector listener, Supplier<String> metrics, Health health, Handler next) {
        super(next);
        this.listener = listener;
        this.metrics = metrics;
        this.health = health;
    }

    /**
     * The management listener of {@code server}: plain HTTP/1.1 on {@code management}'s address and port, not opened yet,
     * holding at most {@link ConnectionLimits#MANAGEMENT_MAX} connections open.
     */
    public static ServerConnector listener(Server server, ServerConfig.Management management, Clock clock) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        ServerConnector c = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        c.setHost(management.bind());
        c.setPort(management.port());
        c.setIdleTimeout(Duration.ofSeconds(30).toMillis());
        ListenerLimit.apply(server, c, ConnectionLimits.MANAGEMENT_MAX, "management", "not configurable", clock);
        return c;
    }

    /** The address an open {@code listener} is bound to (the wildcard address for a wildcard bind). */
    public static InetAddress boundAddress(ServerConnector listener) {
        try {
            return ((InetSocketAddress) ((ServerSocketChannel) listener.getTransport()).getLocalAddress()).getAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (request.getConnectionMetaData().getConnector() != listener) {
            return super.handle(request, response, callback);
        }
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        if (!HttpMethod.GET.is(request.getMethod()) && !HttpMethod.HEAD.is(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            Responses.problem(response, callback, 405, "Method not allowed", "the management listener answers GET and HEAD only");
            return true;
        }
        InetAddress bound = boundAddress(listener);
        if (!ManagementHosts.allows(bound, Request.getServerName(request))) {
            Responses.problem(response, callback, 403, "Forbidden", ManagementHosts.refusal(bound));
            return true;
        }
        switch (Request.getPathInContext(request)) {
            case METRICS -> Responses.write(response, callback, 200, PROMETHEUS_TEXT, metrics.get().getBytes(StandardCharsets.UTF_8));
            case LIVE -> report(response, callback, health.live());
            case READY -> report(response, callback, health.ready());
            default -> Responses.problem(response, callback, 404, "Not found", "the management listener serves " + METRICS + ", " + LIVE
                    + " and " + READY);
        }
        return true;
    }

    private static void report(Response response, Callback callback, HealthReport report) {
        Responses.json(response, callback, report.httpStatus(), report);
    }
}
