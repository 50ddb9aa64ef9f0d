package dev.drawbridge.connector.tunnel;

import dev.drawbridge.model.tunnel.TunnelLink;
import dev.drawbridge.tunnel.transport.WebSocketLink;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Opens tunnels as WebSockets (tunnel protocol version 1), what every server understands: through the connector's
 * tunnel {@link WebSocketClient} (its client certificate, the pinned server CA, the outbound proxy). A refused upgrade
 * fails with {@link DialRefusedException} carrying the server's status.
 */
public final class WebSocketDialer implements LinkDialer {
    private final WebSocketClient ws;

    public WebSocketDialer(WebSocketClient ws) {
        this.ws = ws;
    }

    @Override
    public String protocol() {
        return WebSocketLink.PROTOCOL;
    }

    @Override
    public CompletableFuture<Dialed> dial(URI url, HttpFields headers, TunnelLink.Receiver receiver) {
        ClientUpgradeRequest req = new ClientUpgradeRequest(url);
        for (HttpField h : headers) {
            req.setHeader(h.getName(), h.getValue());
        }
        WebSocketLink link = new WebSocketLink(receiver, answer -> {
            if (receiver instanceof AnswerReceiver a) {
                a.answered(WebSocketLink.headers(answer));
            }
        });
        try {
            return ws.connect(link, req).handle((session, failure) -> {
                if (failure != null) {
                    throw new CompletionException(refusal(failure));
                }
                return new Dialed(link, WebSocketLink.headers(session.getUpgradeResponse()));
            });
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** An upgrade the server answered with a status: {@link DialRefusedException}; any other failure as it is. */
    static Throwable refusal(Throwable failure) {
        Throwable f = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        for (Throwable c = f; c != null; c = c.getCause()) {
            int status = c instanceof UpgradeException ue ? ue.getResponseStatusCode() : 0;
            if (status >= 100 && status <= 599) {
                return new DialRefusedException(status, "the server answered the WebSocket upgrade with " + status, f);
            }
        }
        return f;
    }
}
