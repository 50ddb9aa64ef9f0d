package dev.drawbridge.tunnel.transport;

import dev.drawbridge.model.tunnel.FrameCodec;
import dev.drawbridge.model.tunnel.MalformedFrameException;
import dev.drawbridge.model.tunnel.TunnelLink;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.UpgradeResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A tunnel's frames on a WebSocket (tunnel protocol version 1), either end: one binary message per frame, read one at a
 * time (the next is demanded once the receiver took the last), text messages refused with 1007, a
 * {@link TunnelLink.CloseReason} sent as its close code. What older peers and {@code tunnel-transport: websocket} use
 * instead of {@link FrameConnection}. Public for Jetty.
 */
public final class WebSocketLink implements TunnelLink, Session.Listener {
    public static final String PROTOCOL = "websocket";
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketLink.class);

    private final TunnelLink.Receiver receiver;
    private final Consumer<UpgradeResponse> upgraded;
    private volatile Session session;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    public WebSocketLink(TunnelLink.Receiver receiver) {
        this(receiver, response -> { });
    }

    /** @param upgraded given the upgrade's answer when the WebSocket opens, before the receiver (the connector's end) */
    public WebSocketLink(TunnelLink.Receiver receiver, Consumer<UpgradeResponse> upgraded) {
        this.receiver = Objects.requireNonNull(receiver, "receiver");
        this.upgraded = Objects.requireNonNull(upgraded, "upgraded");
    }

    @Override
    public String protocol() {
        return PROTOCOL;
    }

    @Override
    public boolean isOpen() {
        Session s = session;
        return s != null && s.isOpen();
    }

    @Override
    public void close(CloseReason reason, String text) {
        Session s = session;
        if (s != null && closing.compareAndSet(false, true)) {
            s.close(reason.webSocketCode(), text, Callback.NOOP);
        }
    }

    /** Drops the connection without a close handshake (a silent peer, a simulated crash). */
    public void disconnect() {
        Session s = session;
        if (s != null) {
            closing.set(true);
            s.disconnect();
        }
    }

    /** Closes {@code link} at once: a WebSocket without its close handshake, any other link as it closes. */
    public static void abort(TunnelLink link, String why) {
        if (link instanceof WebSocketLink ws) {
            ws.disconnect();
        } else {
            link.close(CloseReason.GOING_AWAY, why);
        }
    }

    @Override
    public void write(ByteBuffer frame, Runnable written, Consumer<Throwable> failed) throws IOException {
        Session s = session;
        if (s == null || !s.isOpen()) {
            throw new IOException("the tunnel's WebSocket is closed");
        }
        s.sendBinary(frame, Callback.from(written, failed));
    }

    @Override
    public void onWebSocketOpen(Session s) {
        // A server's shared container allows large relayed messages; a tunnel frame is never larger than this.
        s.setMaxBinaryMessageSize(FrameCodec.MAX_FRAME_SIZE);
        this.session = s;
        upgraded.accept(s.getUpgradeResponse());
        receiver.opened(this);
        if (!closing.get()) {
            s.demand();
        }
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        try {
            receiver.frame(payload);
            callback.succeed();
            session.demand();
        } catch (MalformedFrameException e) {
            callback.fail(e);
            close(CloseReason.PROTOCOL, "malformed frame");
        }
    }

    @Override
    public void onWebSocketText(String message) {
        close(CloseReason.BAD_DATA, "text frames are not part of the tunnel protocol");
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        closed(statusCode + (reason == null ? "" : " " + reason));
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        // A failed connect is reported once by the dialer's caller; only an open link's failure is logged here.
        if (session != null && !closed.get() && !closing.get()) {
            LOG.warn("{} failed ({}): {}", receiver, PROTOCOL, cause.toString());
        }
        closed("error: " + cause.getMessage());
    }

    private void closed(String why) {
        if (session != null && closed.compareAndSet(false, true)) {
            receiver.closed(why);
        }
    }

    /** The headers of an upgrade's answer (the server's 101), as fields. */
    public static HttpFields headers(UpgradeResponse response) {
        HttpFields.Mutable fields = HttpFields.build();
        if (response != null && response.getHeaders() != null) {
            for (Map.Entry<String, List<String>> h : response.getHeaders().entrySet()) {
                for (String v : h.getValue()) {
                    fields.add(h.getKey(), v);
                }
            }
        }
        return fields.asImmutable();
    }

    @Override
    public String toString() {
        return PROTOCOL + "(" + receiver + ")";
    }
}
