package dev.drawbridge.testsupport.sample;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

import java.nio.ByteBuffer;

/**
 * The sample app's WebSocket endpoint at {@code /ws}: echoes every text message as text and every binary message
 * as binary. Demand is automatic ({@link Session.Listener.AutoDemanding}); a binary frame's buffer is released only
 * once its echo has been sent (the echo completes the frame's callback). Subprotocol selection happens in the
 * upgrade mapping ({@link SampleApp}): the first offered subprotocol is accepted. The text message {@value #HEADERS_QUERY}
 * is answered with the upgrade request's headers instead, one {@code name: value} line each (what single sign-on set).
 *
 * <p>Public only because Jetty's WebSocket implementation requires endpoint classes to be public.
 */
public final class EchoEndpoint implements Session.Listener.AutoDemanding {

    /** The text message that asks for the upgrade request's headers. */
    public static final String HEADERS_QUERY = "?headers";
    private volatile Session session;

    /** Creates an endpoint for one WebSocket connection. */
    public EchoEndpoint() {
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
    }

    @Override
    public void onWebSocketText(String message) {
        Session s = session;
        if (s == null) {
            return;
        }
        if (message.equals(HEADERS_QUERY)) {
            StringBuilder b = new StringBuilder();
            s.getUpgradeRequest().getHeaders().forEach((name, values) -> values.forEach(v -> b.append(name).append(": ").append(v).append('\n')));
            s.sendText(b.toString(), Callback.NOOP);
            return;
        }
        s.sendText(message, Callback.NOOP);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        Session s = session;
        if (s != null) {
            s.sendBinary(payload, callback);
        } else {
            callback.succeed();
        }
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        // The connection is gone or broken; Jetty closes it. Nothing to clean up.
    }
}
