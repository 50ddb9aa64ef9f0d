package dev.drawbridge.connector.tunnel;

import dev.drawbridge.model.tunnel.TunnelLink;
import org.eclipse.jetty.http.HttpFields;

import java.net.URI;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * One way of opening a tunnel link to the server: an HTTP/1.1 upgrade of {@code GET <tunnel URL>} with the connector's
 * headers (version, host, features), answered by {@code 101} and the server's headers (the features it reads), after
 * which frames flow on the link. WebSocket ({@link WebSocketDialer}) and, once plugged in, {@code drawbridge-tunnel/2};
 * {@link TransportChoice} picks between them.
 */
public interface LinkDialer {
    /** The protocol this dialer opens, as {@link TunnelLink#protocol()} names it. */
    String protocol();

    /**
     * Dials {@code url}, sending {@code headers} with the upgrade request. The link calls {@code receiver} from the moment it
     * is open ({@link TunnelLink.Receiver#opened}), possibly before the returned future completes; a receiver that is an
     * {@link AnswerReceiver} is given the answer's headers before that when the dialer can. The future fails with
     * {@link DialRefusedException} when the server answered with another status than 101, and with the transport's own
     * exception (TLS, connection, timeout) otherwise.
     */
    CompletableFuture<Dialed> dial(URI url, HttpFields headers, TunnelLink.Receiver receiver);

    /** An open link and the headers of the server's {@code 101} (its {@code X-Drawbridge-Tunnel-Features}). */
    record Dialed(TunnelLink link, HttpFields answer) {
        public Dialed {
            Objects.requireNonNull(link, "link");
            answer = answer == null ? HttpFields.EMPTY : answer;
        }
    }

    /**
     * A receiver that wants the upgrade answer's headers before the link delivers anything, so that nothing it writes
     * misses what the server announced. Called at most once per dial, before {@link #opened}; a dialer that cannot, leaves
     * it to the caller (with {@link Dialed#answer()}), so implementations accept it twice.
     */
    interface AnswerReceiver extends TunnelLink.Receiver {
        void answered(HttpFields answer);
    }
}
