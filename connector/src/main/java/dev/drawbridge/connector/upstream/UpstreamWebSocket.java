package dev.drawbridge.connector.upstream;

import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.ResetCode;
import dev.drawbridge.model.tunnel.ResponseHead;
import dev.drawbridge.model.tunnel.TunnelStream;
import dev.drawbridge.model.tunnel.WebSocketMessages;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A WebSocket session relayed to the internal app: the connector opens the WebSocket upstream,
 * answers the stream with HEAD 101 (and the chosen subprotocol) or with the app's refusal, then
 * relays messages both ways as {@link WebSocketMessages} fragments.
 */
public final class UpstreamWebSocket implements Session.Listener {
    public static final int MAX_MESSAGE = 16 * 1024 * 1024;
    private static final Set<String> NOT_FORWARDED = Set.of("host", "upgrade", "connection", "sec-websocket-key",
            "sec-websocket-version", "sec-websocket-extensions", "sec-websocket-protocol", "content-length");

    private final TunnelStream stream;
    private volatile Session session;

    private UpstreamWebSocket(TunnelStream stream) {
        this.stream = stream;
    }

    public static void run(WebSocketClient client, TunnelStream stream) {
        run(client, stream, stream.request());
    }

    /** Relays the stream's WebSocket, sending {@code head} (the stream's, after single sign-on) on the upgrade. */
    public static void run(WebSocketClient client, TunnelStream stream, RequestHead head) {
        run(client, stream, head, null);
    }

    /**
     * As {@link #run(WebSocketClient, TunnelStream, RequestHead)}, signing the user in with {@code auth} (may be null):
     * its credential goes with the upgrade (which cannot be sent twice) and the app's 101 is checked by
     * {@link ChallengeAuth#accept} (mutual authentication) before the WebSocket is relayed; a refusal closes it and
     * resets the stream SSO_REFUSED.
     */
    public static void run(WebSocketClient client, TunnelStream stream, RequestHead requested, ChallengeAuth auth) {
        RequestHead head;
        try {
            head = auth == null ? requested : UpstreamExchange.authorized(requested, auth);
        } catch (ChallengeAuth.RefusedException e) {
            stream.reset(ResetCode.SSO_REFUSED, "single sign-on refused: " + e.getMessage());
            return;
        }
        URI http = URI.create(head.upstreamUri());
        URI ws = URI.create((http.getScheme().equals("https") ? "wss" : "ws") + http.toString().substring(http.getScheme().length()));
        ClientUpgradeRequest up = new ClientUpgradeRequest(ws);
        List<String> subprotocols = new ArrayList<>();
        Map<String, List<String>> forwarded = new LinkedHashMap<>();
        for (HeaderField h : head.headers()) {
            String n = h.name().toLowerCase(Locale.ROOT);
            if (n.equals("sec-websocket-protocol")) {
                Arrays.stream(h.value().split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(subprotocols::add);
            } else if (!NOT_FORWARDED.contains(n)) {
                forwarded.computeIfAbsent(h.name(), k -> new ArrayList<>()).add(h.value());
            }
        }
        forwarded.forEach(up::setHeader);
        if (!subprotocols.isEmpty()) {
            up.setSubProtocols(subprotocols);
        }
        head.header("Host").ifPresent(host -> up.setHeader("Host", host));
        UpstreamWebSocket relay = new UpstreamWebSocket(stream);
        try {
            Session s = client.connect(relay, up).get(head.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (auth != null) {
                try {
                    auth.accept(101, s.getUpgradeResponse().getHeaders("WWW-Authenticate"));
                } catch (ChallengeAuth.RefusedException e) {
                    s.disconnect();
                    stream.reset(ResetCode.SSO_REFUSED, "single sign-on refused: " + e.getMessage());
                    return;
                }
            }
            List<HeaderField> headers = new ArrayList<>();
            Optional.ofNullable(s.getUpgradeResponse().getAcceptedSubProtocol())
                    .ifPresent(p -> headers.add(new HeaderField("Sec-WebSocket-Protocol", p)));
            stream.sendHead(new ResponseHead(101, headers));
            Thread.startVirtualThread(relay::fromProxy);
        } catch (ExecutionException e) {
            int refusedWith = refusalStatus(e.getCause());
            if (refusedWith > 0) {
                try {
                    stream.sendHead(new ResponseHead(refusedWith, List.of()));
                    stream.endOutput();
                } catch (IOException ex) {
                    stream.reset(ResetCode.CANCEL, "tunnel failed");
                }
            } else {
                stream.reset(UpstreamExchange.classify(e.getCause()), UpstreamExchange.describe(e.getCause()));
            }
        } catch (TimeoutException e) {
            stream.reset(ResetCode.UPSTREAM_TIMEOUT, "WebSocket handshake timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stream.reset(ResetCode.CANCEL, "connector stopping");
        } catch (IOException e) {
            stream.reset(ResetCode.UPSTREAM_ERROR, e.getMessage() == null ? "WebSocket failed" : e.getMessage());
        }
    }

    /** The HTTP status with which the app refused the upgrade, or 0 when it did not answer at all. */
    private static int refusalStatus(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UpgradeException ue && ue.getResponseStatusCode() > 0) {
                return ue.getResponseStatusCode();
            }
            // CHECKSTYLE.OFF: InlineFullyQualifiedName the WebSocket API's UpgradeException is imported; this is the core one
            if (c instanceof org.eclipse.jetty.websocket.core.exception.UpgradeException ue && ue.getResponseStatusCode() > 0) {
            // CHECKSTYLE.ON: InlineFullyQualifiedName
                return ue.getResponseStatusCode();
            }
        }
        return 0;
    }

    private void fromProxy() {
        try {
            Optional<WebSocketMessages.Message> m;
            while ((m = WebSocketMessages.read(stream, MAX_MESSAGE)).isPresent()) {
                CompletableFuture<Void> sent = new CompletableFuture<>();
                Callback cb = Callback.from(() -> sent.complete(null), sent::completeExceptionally);
                if (m.get().binary()) {
                    session.sendBinary(ByteBuffer.wrap(m.get().payload()), cb);
                } else {
                    session.sendText(new String(m.get().payload(), StandardCharsets.UTF_8), cb);
                }
                sent.join();
            }
            session.close(StatusCode.NORMAL, "client closed", Callback.NOOP);
        } catch (IOException | RuntimeException e) {
            session.close(StatusCode.SHUTDOWN, "proxy side closed", Callback.NOOP);
        }
    }

    @Override
    public void onWebSocketOpen(Session s) {
        this.session = s;
        s.demand();
    }

    @Override
    public void onWebSocketText(String message) {
        toProxy(false, message.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        byte[] b = new byte[payload.remaining()];
        payload.get(b);
        callback.succeed();
        toProxy(true, b);
    }

    private void toProxy(boolean binary, byte[] payload) {
        Thread.startVirtualThread(() -> {
            try {
                WebSocketMessages.write(stream, binary, payload);
                session.demand();
            } catch (IOException e) {
                session.close(StatusCode.SHUTDOWN, "proxy side gone", Callback.NOOP);
            }
        });
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        try {
            stream.endOutput();
        } catch (IOException e) {
            stream.reset(ResetCode.CANCEL, "upstream closed");
        }
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        // A failed handshake also lands here; run() answers that one with the app's status.
        if (session != null) {
            stream.reset(ResetCode.UPSTREAM_ERROR, "upstream WebSocket failed");
        }
    }
}
