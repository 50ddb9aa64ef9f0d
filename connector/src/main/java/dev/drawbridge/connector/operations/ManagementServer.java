package dev.drawbridge.connector.operations;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drawbridge.model.http.ManagementHosts;
import dev.drawbridge.model.operations.HealthReport;
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
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The connector's management listener (off unless {@code run --management-port} is given): plain HTTP without
 * authentication, on loopback by default, for Prometheus and health probes on the same host (docs/operations.md):
 * <pre>
 *   GET /metrics        Prometheus text format (0.0.4)
 *   GET /health/live    200 / 503 and a JSON {@link HealthReport}
 *   GET /health/ready   200 / 503 and a JSON {@link HealthReport}
 * </pre>
 * As the server's: only GET and HEAD; only {@code Host}s no web page can have rebound ({@link ManagementHosts}, decided
 * from the address it is bound to, not from how {@code --management-bind} is spelled: bound to loopback, only loopback
 * names and addresses; elsewhere or to the wildcard, no DNS name); {@code no-store} and {@code nosniff}; a warning in the
 * log when it is bound elsewhere than loopback. A few threads of its own, apart from the tunnels'.
 */
public final class ManagementServer implements AutoCloseable {
    public static final String METRICS = "/metrics", LIVE = "/health/live", READY = "/health/ready";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);

    private final Server server;
    private final ServerConnector connector;

    private ManagementServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /**
     * Starts listening on {@code bind}:{@code port} (0: ephemeral).
     *
     * @throws IOException when the port cannot be opened (in use, not an address of this machine)
     */
    public static ManagementServer start(String bind, int port, Supplier<String> metrics, ConnectorHealth health) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(8, 2);
        threads.setName("management");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(bind);
        connector.setPort(port);
        connector.setIdleTimeout(Duration.ofSeconds(30).toMillis());
        server.addConnector(connector);
        server.setHandler(new Endpoints(() -> boundAddress(connector), metrics, health));
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        ManagementServer started = new ManagementServer(server, connector);
        if (!started.loopbackOnly()) {
            LOG.warn("the management listener has no authentication and is bound to {} ({}), not loopback: let only your scraper and "
                    + "probes reach it (firewall), which address it by IP address", bind, started.boundAddress().getHostAddress());
        }
        return started;
    }

    /** The address it is bound to (the wildcard address for a wildcard bind). */
    public InetAddress boundAddress() {
        return boundAddress(connector);
    }

    /** Whether it is bound to a loopback address, so that only this machine reaches it. */
    public boolean loopbackOnly() {
        return boundAddress().isLoopbackAddress();
    }

    private static InetAddress boundAddress(ServerConnector connector) {
        try {
            return ((InetSocketAddress) ((ServerSocketChannel) connector.getTransport()).getLocalAddress()).getAddress();
        } catch (IOException e) {
            throw new IllegalStateException("the management listener is not open", e);
        }
    }

    /** The port it listens on. */
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** The three endpoints. */
    private static final class Endpoints extends Handler.Abstract {
        private final Supplier<InetAddress> bound;
        private final Supplier<String> metrics;
        private final ConnectorHealth health;

        Endpoints(Supplier<InetAddress> bound, Supplier<String> metrics, ConnectorHealth health) {
            this.bound = bound;
            this.metrics = metrics;
            this.health = health;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws JsonProcessingException {
            if (!HttpMethod.GET.is(request.getMethod()) && !HttpMethod.HEAD.is(request.getMethod())) {
                response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
                problem(response, callback, 405, "the management listener answers GET and HEAD only");
            } else if (!ManagementHosts.allows(bound.get(), Request.getServerName(request))) {
                problem(response, callback, 403, ManagementHosts.refusal(bound.get()));
            } else {
                switch (Request.getPathInContext(request)) {
                    case METRICS -> write(response, callback, 200, PROMETHEUS_TEXT, metrics.get());
                    case LIVE -> report(response, callback, health.live());
                    case READY -> report(response, callback, health.ready());
                    default -> problem(response, callback, 404, "the management listener serves " + METRICS + ", " + LIVE + " and " + READY);
                }
            }
            return true;
        }

        private static void report(Response response, Callback callback, HealthReport report) throws JsonProcessingException {
            write(response, callback, report.httpStatus(), "application/json", JSON.writeValueAsString(report));
        }

        private static void problem(Response response, Callback callback, int status, String detail) throws JsonProcessingException {
            write(response, callback, status, "application/problem+json",
                    JSON.writeValueAsString(Map.of("status", status, "detail", detail)));
        }

        private static void write(Response response, Callback callback, int status, String type, String body) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.getHeaders().put("X-Content-Type-Options", "nosniff");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
            response.write(true, ByteBuffer.wrap(bytes), callback);
        }
    }
}
