package dev.drawbridge.connector.tunnel;

import dev.drawbridge.model.tunnel.TunnelLink;
import dev.drawbridge.tunnel.transport.FrameConnection;
import dev.drawbridge.tunnel.transport.PinnedInput;
import dev.drawbridge.tunnel.transport.TunnelUpgradeClient;
import dev.drawbridge.tunnel.transport.TunnelUpgradeRefusedException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpFields;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Opens tunnels as {@code drawbridge-tunnel/2} links (docs/tunnel.md): the HTTP/1.1 upgrade of {@code GET <tunnel URL>}
 * on the connector's tunnel {@link HttpClient} (its client certificate, the pinned server CA, the outbound proxy: the same
 * client the WebSocket upgrade uses), then length-prefixed frames on that connection. The tunnel URL is stored as
 * {@code wss://}; this upgrade is plain HTTP, so it dials the same address as {@code https://}. A status other than 101
 * fails with {@link DialRefusedException}, which {@link TransportChoice} reads: 401/403 are final, anything else (an older
 * server's 400) makes it dial WebSocket instead.
 */
public final class FrameLinkDialer implements LinkDialer {
    private final HttpClient client;
    private final Duration idleTimeout;

    /**
     * @param idleTimeout how long the link may stay silent before it is closed (six heartbeats, as the WebSocket client)
     * @param pinned      the connector's cap on input buffers kept by retained DATA slices ({@code --tunnel-pinned-max}),
     *                    which every link of {@code client} counts against
     */
    public FrameLinkDialer(HttpClient client, Duration idleTimeout, PinnedInput pinned) {
        this.client = client;
        this.idleTimeout = idleTimeout;
        TunnelUpgradeClient.install(client, Objects.requireNonNull(pinned, "pinned"));
    }

    @Override
    public String protocol() {
        return FrameConnection.PROTOCOL;
    }

    @Override
    public CompletableFuture<Dialed> dial(URI url, HttpFields headers, TunnelLink.Receiver receiver) {
        URI http = httpUri(url);
        return TunnelUpgradeClient.dial(client, http, headers, answer -> {
            if (receiver instanceof AnswerReceiver a) {
                a.answered(answer);
            }
            return receiver;
        }, idleTimeout).handle((dialed, failure) -> {
            if (failure == null) {
                return new Dialed(dialed.link(), dialed.responseHeaders());
            }
            Throwable f = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (f instanceof TunnelUpgradeRefusedException refused) {
                throw new CompletionException(new DialRefusedException(refused.status(),
                        "the server answered the " + FrameConnection.PROTOCOL + " upgrade with " + refused.status(), refused));
            }
            throw new CompletionException(f);
        });
    }

    /** {@code wss://h:p/path} as {@code https://h:p/path} ({@code ws://} as {@code http://}); other schemes unchanged. */
    static URI httpUri(URI url) {
        String scheme = url.getScheme();
        String to = "wss".equalsIgnoreCase(scheme) ? "https" : "ws".equalsIgnoreCase(scheme) ? "http" : scheme;
        return URI.create(to + url.toString().substring(scheme.length()));
    }
}
