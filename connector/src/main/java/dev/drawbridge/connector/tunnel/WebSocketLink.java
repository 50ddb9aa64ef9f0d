package dev.drawbridge.connector.tunnel;

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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A tunnel's frames on a WebSocket (tunnel protocol version 1), the connector's end: one binary message per frame, read
 * one at a time (the next is demanded once the receiver took the last), text messages refused with 1007, a
 * {@link TunnelLink.CloseReason} sent as its close code. The upgrade answer's headers go to an
 * {@link LinkDialer.AnswerReceiver} before anything else. Public for Jetty.
 */
public final class WebSocketLink implements TunnelLink, Session.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketLink.class);
    static final String PROTOCOL = "websocket";

    private final TunnelLink.Receiver receiver;
    private volatile Session session;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    WebSocketLink(TunnelLink.Receiver receiver) {
        this.receiver = receiver;
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

    /** Drops the connection without a close handshake (a silent server, a simulated crash). */
    void disconnect() {
        Session s = session;
        if (s != null) {
            closing.set(true);
            s.disconnect();
        }
    }

    /** Closes {@code link} at once: a WebSocket without its close handshake, any other link as it closes. */
    static void abort(TunnelLink link, String why) {
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
            throw new IOException("tunnel closed");
        }
        s.sendBinary(frame, Callback.from(written, failed));
    }

    @Override
    public void onWebSocketOpen(Session s) {
        s.setMaxBinaryMessageSize(FrameCodec.MAX_FRAME_SIZE);
        this.session = s;
        if (receiver instanceof LinkDialer.AnswerReceiver a) {
            a.answered(headers(s.getUpgradeResponse()));
        }
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

    /** The headers of the server's 101. */
    static HttpFields headers(UpgradeResponse response) {
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
