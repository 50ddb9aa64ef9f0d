package dev.drawbridge.tunnel.transport;

import dev.drawbridge.model.tunnel.TunnelLink;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpUpgrader;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.UpgradeProtocolHandler;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The connector's side of the {@code drawbridge-tunnel/2} upgrade, on Jetty's {@link HttpClient}: {@link #dial} sends
 * {@code GET} with {@code Upgrade: drawbridge-tunnel/2} (through the client's proxy, TLS and client certificate, exactly
 * as the WebSocket upgrade goes) and, on {@code 101}, hands the connection's endpoint to a {@link FrameConnection}.
 *
 * <p>Jetty routes a {@code 101} to the client's protocol handler named {@code "upgrade"}, whose stock implementation
 * accepts only {@code websocket} and {@code h2c}; {@link #install} replaces it with a subclass that also accepts this
 * protocol for the requests {@link #dial} sends, so WebSocket keeps working on the same client.
 */
public final class TunnelUpgradeClient {
    private TunnelUpgradeClient() {
    }

    /**
     * The response head the client reads at most, when it had no limit of its own: Jetty's {@link HttpClient} has none by
     * default, so whatever answers the dial (a broken or hostile server, or the outbound proxy's answer to CONNECT) could
     * send header lines for ever and have them all kept.
     */
    public static final int MAX_RESPONSE_HEADERS = 64 * 1024;

    /**
     * Makes {@code client} accept {@code 101 drawbridge-tunnel/2} answers besides WebSocket's and h2c's, and bounds the
     * response heads it reads ({@link #MAX_RESPONSE_HEADERS}) unless it was given a bound. Idempotent; call it before the
     * client's first request (connections already open keep the bound they were made with).
     */
    public static void install(HttpClient client) {
        install(client, null);
    }

    /**
     * As {@link #install(HttpClient)}, and makes {@code pinned} the cap on input buffers that retained slices of this
     * client's links pin ({@link PinnedInput}); null keeps the client's cap, or gives it one of its own
     * ({@link PinnedInput#CONNECTOR_DEFAULT}) on the first call. The cap belongs to the client: every link it dials counts
     * against it, and nothing else does (a server in the same JVM has its own).
     */
    public static void install(HttpClient client, PinnedInput pinned) {
        synchronized (client.getProtocolHandlers()) {
            PinnedInput had = client.getBean(PinnedInput.class);
            if (pinned != null && had != pinned) {
                if (had != null) {
                    client.removeBean(had);
                }
                client.addBean(pinned, false);
            } else if (had == null) {
                client.addBean(new PinnedInput(PinnedInput.CONNECTOR_DEFAULT), false);
            }
            if (client.getMaxResponseHeadersSize() <= 0) {
                client.setMaxResponseHeadersSize(MAX_RESPONSE_HEADERS);
            }
            // ProtocolHandlers has no lookup by name: the handler is also an (unmanaged) bean of the client, to find it.
            if (client.getBean(Handler.class) == null) {
                Handler handler = new Handler();
                client.getProtocolHandlers().put(handler);
                client.addBean(handler, false);
            }
        }
    }

    /** As {@link #dial(HttpClient, URI, HttpFields, Function, Duration)} with the same receiver whatever the 101 says. */
    public static CompletableFuture<DialedLink> dial(HttpClient client, URI uri, HttpFields headers, TunnelLink.Receiver receiver,
                                                     Duration idleTimeout) {
        Objects.requireNonNull(receiver, "receiver");
        return dial(client, uri, headers, h -> receiver, idleTimeout);
    }

    /**
     * Dials the tunnel at {@code uri} ({@code https://…/connector/v1/tunnel}) with {@code headers} (the connector's
     * version, host and features). The future completes with the link once it is open, or fails with a
     * {@link TunnelUpgradeRefusedException} (any status but 101, with the response's headers; a redirect is not followed)
     * or the I/O failure.
     *
     * @param receiverFor chooses the receiver from the 101's headers (e.g. the features the server announced) before any
     *                    frame is delivered: frames the server sent with its 101 arrive right after {@code opened}
     * @param idleTimeout the link's idle timeout (heartbeat × 6); also bounds the upgrade request, which ends at the 101
     */
    public static CompletableFuture<DialedLink> dial(HttpClient client, URI uri, HttpFields headers,
                                                     Function<HttpFields, TunnelLink.Receiver> receiverFor, Duration idleTimeout) {
        install(client);
        CompletableFuture<DialedLink> result = new CompletableFuture<>();
        Upgrader upgrader = new Upgrader(client, receiverFor, idleTimeout, result);
        Request request = client.newRequest(uri)
                .method(HttpMethod.GET)
                .version(HttpVersion.HTTP_1_1)
                .headers(h -> headers.forEach(h::add))
                .attribute(HttpUpgrader.Factory.class.getName(), upgrader)
                // A 3xx is a refusal like any other answer: never followed to wherever it points (plain HTTP included).
                .followRedirects(false)
                .timeout(idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
        request.send(r -> {
            if (result.isDone()) {
                return;
            }
            Response response = r.getResponse();
            if (response != null && response.getStatus() > 0 && response.getStatus() != HttpStatus.SWITCHING_PROTOCOLS_101) {
                result.completeExceptionally(new TunnelUpgradeRefusedException(response.getStatus(), response.getHeaders()));
            } else if (r.isFailed()) {
                result.completeExceptionally(r.getFailure());
            } else if (!switchedToUs(response)) {
                result.completeExceptionally(new TunnelUpgradeRefusedException(HttpStatus.SWITCHING_PROTOCOLS_101, response.getHeaders()));
            }
            // A 101 to this protocol: Jetty notifies this listener first, then the protocol handler, whose upgrader completes
            // the result (or fails it, and the handler fails this request).
        });
        return result;
    }

    /** Whether {@code response} switched to this protocol: exactly one {@code Upgrade} token, ours. */
    static boolean switchedToUs(Response response) {
        List<String> upgrade = response.getHeaders().getCSV(HttpHeader.UPGRADE, false);
        return response.getStatus() == HttpStatus.SWITCHING_PROTOCOLS_101 && upgrade.size() == 1
                && FrameConnection.PROTOCOL.equalsIgnoreCase(upgrade.getFirst());
    }

    /**
     * The stock handler, also accepting a 101 answering a request {@link #dial} sent. Jetty looks the handler up when the
     * status line arrives, before the response's headers (which is why the stock handler also looks at the request's
     * {@code Upgrade}): the 101's {@code Upgrade} is checked by the upgrader, which refuses anything but this protocol.
     */
    static final class Handler extends UpgradeProtocolHandler {
        @Override
        protected boolean acceptHeaders(Request request, Response response) {
            return super.acceptHeaders(request, response) || request.getAttributes().get(HttpUpgrader.Factory.class.getName()) instanceof Upgrader;
        }
    }

    /** Prepares the request and, on the 101, installs the {@link FrameConnection}. */
    private static final class Upgrader implements HttpUpgrader, HttpUpgrader.Factory {
        private final HttpClient client;
        private final Function<HttpFields, TunnelLink.Receiver> receiverFor;
        private final Duration idleTimeout;
        private final CompletableFuture<DialedLink> result;

        Upgrader(HttpClient client, Function<HttpFields, TunnelLink.Receiver> receiverFor, Duration idleTimeout,
                 CompletableFuture<DialedLink> result) {
            this.client = client;
            this.receiverFor = receiverFor;
            this.idleTimeout = idleTimeout;
            this.result = result;
        }

        @Override
        public HttpUpgrader newHttpUpgrader(HttpVersion version) {
            return this;
        }

        @Override
        public void prepare(Request request) {
            request.headers(h -> h.put(HttpHeader.UPGRADE, FrameConnection.PROTOCOL).put(HttpHeader.CONNECTION, "Upgrade"));
        }

        @Override
        public void upgrade(Response response, EndPoint endPoint, Callback callback) {
            if (!switchedToUs(response)) {
                IOException refused = new TunnelUpgradeRefusedException(response.getStatus(), response.getHeaders());
                result.completeExceptionally(refused);
                callback.failed(refused);
                return;
            }
            try {
                HttpFields headers = response.getHeaders().asImmutable();
                FrameConnection connection = new FrameConnection(endPoint, client.getExecutor(), client.getByteBufferPool(),
                        receiverFor.apply(headers), idleTimeout, client.getBean(PinnedInput.class));
                endPoint.upgrade(connection);
                callback.succeeded();
                if (!result.complete(new DialedLink(connection, headers))) {
                    connection.close(TunnelLink.CloseReason.GOING_AWAY, "the dial was abandoned");
                }
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
                callback.failed(e);
            }
        }
    }
}
