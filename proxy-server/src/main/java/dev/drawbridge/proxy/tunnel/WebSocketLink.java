package dev.drawbridge.proxy.tunnel;

import dev.drawbridge.model.tunnel.FrameCodec;
import dev.drawbridge.model.tunnel.MalformedFrameException;
import dev.drawbridge.model.tunnel.TunnelLink;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A tunnel's frames on a WebSocket (tunnel protocol version 1): one binary message per frame, read one at a time (the
 * next is demanded once the receiver took the last), text messages refused with 1007, a {@link TunnelLink.CloseReason}
 * sent as its close code (public for Jetty). The server's end of {@code /connector/v1/tunnel} when the connector asked for a WebSocket.
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
        // The shared container allows large relayed messages; a tunnel frame is never larger than this.
        s.setMaxBinaryMessageSize(FrameCodec.MAX_FRAME_SIZE);
        this.session = s;
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
        if (session != null && !closed.get()) {
            LOG.warn("{} failed ({}): {}", receiver, PROTOCOL, cause.toString());
        }
        closed("error: " + cause.getMessage());
    }

    private void closed(String why) {
        if (session != null && closed.compareAndSet(false, true)) {
            receiver.closed(why);
        }
    }

    @Override
    public String toString() {
        return PROTOCOL + "(" + receiver + ")";
    }
}
