package dev.drawbridge.connector.tunnel;

import dev.drawbridge.model.tunnel.TunnelLink;
import org.eclipse.jetty.http.HttpFields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Which transport a tunnel dials (docs/tunnel.md, "Transports"). In mode {@link Mode#AUTO} it tries the newer transport
 * first; a server that answers its upgrade with another status than 101 and not 401 or 403 (an older server's 400, a
 * node of a mixed-version cluster) is dialled again at once with WebSocket, and WebSocket is used for that tunnel URL from
 * then on, until the process restarts or the URL changes. 401 and 403 stay what they always were: the connector is
 * refused for good ({@link DialRefusedException#isPermanent()}), with no second try. In mode {@link Mode#WEBSOCKET}
 * (the rollback, and one side of an A/B benchmark) only WebSocket is dialled. One choice is shared by all tunnels of a
 * connector.
 */
public final class TransportChoice implements LinkDialer {
    private static final Logger LOG = LoggerFactory.getLogger(TransportChoice.class);
    /** The system property that sets the mode when no option does (tests, benchmarks). */
    public static final String PROPERTY = "drawbridge.tunnel.transport";

    /** The connector's {@code --tunnel-transport}. */
    public enum Mode {
        /** The newer transport when the server has it, else WebSocket. */
        AUTO,
        /** WebSocket only. */
        WEBSOCKET;

        /** The mode named {@code value} ({@code auto} or {@code websocket}, any case). */
        public static Mode parse(String value) {
            String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
            return switch (v) {
                case "auto" -> AUTO;
                case "websocket" -> WEBSOCKET;
                default -> throw new IllegalArgumentException("must be auto or websocket, not '" + value + "'");
            };
        }

        /** The mode of the system property {@value #PROPERTY}, or {@link #AUTO} when it is not set. */
        public static Mode fromSystemProperty() {
            String v = System.getProperty(PROPERTY);
            if (v == null || v.isBlank()) {
                return AUTO;
            }
            try {
                return parse(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the system property " + PROPERTY + " " + e.getMessage(), e);
            }
        }

        /** As the option and the property spell it. */
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Mode mode;
    private final Optional<LinkDialer> first;
    private final LinkDialer webSocket;
    /** The tunnel URL whose server refused the first transport: dialled with WebSocket until the URL changes. */
    private volatile URI webSocketOnly;

    /**
     * @param first     the transport tried first in mode {@link Mode#AUTO}; empty while there is none (then WebSocket only)
     * @param webSocket the WebSocket dialer, which every server answers
     */
    public TransportChoice(Mode mode, Optional<LinkDialer> first, LinkDialer webSocket) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.first = Objects.requireNonNull(first, "first");
        this.webSocket = Objects.requireNonNull(webSocket, "webSocket");
    }

    public Mode mode() {
        return mode;
    }

    @Override
    public String protocol() {
        return mode.value();
    }

    /** The dialer the next dial of {@code url} starts with. */
    public LinkDialer firstFor(URI url) {
        if (mode == Mode.WEBSOCKET || first.isEmpty()) {
            return webSocket;
        }
        URI remembered = webSocketOnly;
        if (remembered != null && !remembered.equals(url)) {
            // The tunnel URL changed: the server there may have the newer transport.
            webSocketOnly = null;
            remembered = null;
        }
        return remembered == null ? first.get() : webSocket;
    }

    @Override
    public CompletableFuture<Dialed> dial(URI url, HttpFields headers, TunnelLink.Receiver receiver) {
        LinkDialer d = firstFor(url);
        if (d == webSocket) {
            return webSocket.dial(url, headers, receiver);
        }
        return d.dial(url, headers, receiver).exceptionallyCompose(failure -> {
            Throwable cause = unwrap(failure);
            if (cause instanceof DialRefusedException refused && !refused.isPermanent()) {
                // Refused before any 101, so the receiver never opened: it serves the WebSocket link instead.
                webSocketOnly = url;
                LOG.info("{} answered the {} upgrade with {}: dialling it with WebSocket, as until this connector restarts "
                        + "or the tunnel URL changes", url, d.protocol(), refused.status());
                return webSocket.dial(url, headers, receiver);
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }
}
