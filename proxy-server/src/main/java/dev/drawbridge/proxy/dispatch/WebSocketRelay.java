package dev.drawbridge.proxy.dispatch;

import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.ResetCode;
import dev.drawbridge.model.tunnel.ResponseHead;
import dev.drawbridge.model.tunnel.TunnelStream;
import dev.drawbridge.model.tunnel.WebSocketMessages;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.edge.ProxyFailure;
import dev.drawbridge.proxy.preauth.LiveSessions;
import dev.drawbridge.proxy.tunnel.ConnectorPicker;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * WebSocket upgrades to a published app. The connector first opens the WebSocket to the internal
 * app; only when that succeeded (its HEAD says 101) does the proxy accept the client's upgrade,
 * with the subprotocol the app chose. Messages then flow both ways as flow-controlled fragments
 * ({@link WebSocketMessages}); a refusal by the app is passed to the client as a plain response.
 */
public final class WebSocketRelay {
    /** Opens a tunnel stream for the head, or says why not. */
    @FunctionalInterface
    interface StreamOpener {
        DispatchHandler.Result<TunnelStream> open(PublishedApp app, RequestHead head, ConnectorPicker.Attempt attempt);
    }

    public static final int MAX_MESSAGE = 16 * 1024 * 1024;
    private final ServerWebSocketContainer container;

    public WebSocketRelay(ServerWebSocketContainer container) {
        this.container = container;
    }

    /**
     * Relays one upgrade; {@code lease} is held while the WebSocket is open: a revocation meanwhile closes it with 1008
     * (policy violation) and the reason, and it is released when the socket ends or the upgrade fails.
     */
    void relay(PublishedApp app, RequestHead head, Request request, Response response, Callback callback, StreamOpener opener,
               Optional<LiveSessions.Lease> lease) {
        Callback released = lease.<Callback>map(l -> Callback.from(l::close, callback)).orElse(callback);
        DispatchHandler.Result<TunnelStream> opened = opener.open(app, head, new ConnectorPicker.Attempt());
        if (opened instanceof DispatchHandler.Result.Failed<TunnelStream> f) {
            f.failure().respond(response, released);
            return;
        }
        TunnelStream stream = ((DispatchHandler.Result.Ok<TunnelStream>) opened).value();
        ResponseHead rh;
        try {
            rh = stream.awaitHead(head.timeout());
        } catch (TimeoutException | IOException e) {
            DispatchHandler.headFailed(app, stream, e, "no WebSocket handshake within the backend timeout", response, released);
            return;
        }
        if (rh.status() != 101) {
            refuse(app, rh, stream, response, released);
            return;
        }
        Optional<String> subprotocol = rh.header("Sec-WebSocket-Protocol");
        boolean upgraded = container.upgrade((upReq, upResp, cb) -> {
            subprotocol.ifPresent(upResp::setAcceptedSubProtocol);
            return new ClientEndpoint(stream, lease);
        }, request, response, lease.<Callback>map(l -> Callback.from(callback, (Throwable failure) -> {
            // A failed upgrade never opens the socket, whose close would have released the lease.
            if (failure != null) {
                l.close();
            }
        })).orElse(callback));
        if (!upgraded) {
            stream.reset(ResetCode.CANCEL, "client upgrade failed");
            new ProxyFailure.BadPath("The WebSocket upgrade request was not valid.").respond(response, released);
        }
    }

    private static void refuse(PublishedApp app, ResponseHead rh, TunnelStream stream, Response response, Callback callback) {
        response.setStatus(rh.status());
        DispatchHandler.copyHeaders(app, rh, response);
        try {
            var out = Content.Sink.asOutputStream(response);
            byte[] chunk;
            while ((chunk = stream.read()) != null) {
                out.write(chunk);
            }
            out.close();
            stream.endOutput();
            callback.succeeded();
        } catch (IOException e) {
            stream.reset(ResetCode.CANCEL, "client gone");
            callback.failed(e);
        }
    }

    /** The client's WebSocket: its messages go up the stream, the stream's messages come back down. */
    public static final class ClientEndpoint implements Session.Listener {
        private final TunnelStream stream;
        private final Optional<LiveSessions.Lease> lease;
        private volatile Session session;

        ClientEndpoint(TunnelStream stream, Optional<LiveSessions.Lease> lease) {
            this.stream = stream;
            this.lease = lease;
        }

        @Override
        public void onWebSocketOpen(Session s) {
            this.session = s;
            // Disabled, revoked, unassigned or blocked while the socket is open: say why to the client, then stop the app's side.
            lease.ifPresent(l -> l.onRevoke(reason -> {
                s.close(StatusCode.POLICY_VIOLATION, closeReason(reason),
                        // CHECKSTYLE.OFF: InlineFullyQualifiedName two Callbacks here: Jetty core's (imported) and its WebSocket API's
                        org.eclipse.jetty.websocket.api.Callback.NOOP);
                stream.reset(ResetCode.CANCEL, "access revoked: " + reason);
            }));
            Thread.startVirtualThread(this::downstream);
            s.demand();
        }

        /** The close frame's reason: at most 123 bytes of UTF-8 (RFC 6455), cut at a character boundary. */
        static String closeReason(String reason) {
            String r = "access revoked: " + reason + "; sign in again";
            while (r.getBytes(StandardCharsets.UTF_8).length > 123) {
                r = r.substring(0, r.length() - 1);
            }
            return r;
        }

        private void downstream() {
            try {
                Optional<WebSocketMessages.Message> m;
                while ((m = WebSocketMessages.read(stream, MAX_MESSAGE)).isPresent()) {
                    CompletableFuture<Void> sent = new CompletableFuture<>();
                    var cb = org.eclipse.jetty.websocket.api.Callback.from(() -> sent.complete(null), sent::completeExceptionally);
                    if (m.get().binary()) {
                        session.sendBinary(ByteBuffer.wrap(m.get().payload()), cb);
                    } else {
                        session.sendText(new String(m.get().payload(), StandardCharsets.UTF_8), cb);
                    }
                    sent.join();
                }
                session.close(StatusCode.NORMAL, "upstream closed", org.eclipse.jetty.websocket.api.Callback.NOOP);
            } catch (IOException | RuntimeException e) {
                stream.reset(ResetCode.CANCEL, "relay failed");
                session.close(StatusCode.SERVER_ERROR, "upstream connection lost", org.eclipse.jetty.websocket.api.Callback.NOOP);
            }
        }

        @Override
        public void onWebSocketText(String message) {
            upstream(false, message.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, org.eclipse.jetty.websocket.api.Callback callback) {
            byte[] bytes = new byte[payload.remaining()];
            payload.get(bytes);
            callback.succeed();
            upstream(true, bytes);
        }

        private void upstream(boolean binary, byte[] bytes) {
            // Off the WebSocket thread: the write may wait for flow-control credit; demand resumes after it.
            Thread.startVirtualThread(() -> {
                try {
                    WebSocketMessages.write(stream, binary, bytes);
                    session.demand();
                } catch (IOException e) {
                    session.close(StatusCode.SERVER_ERROR, "upstream connection lost", org.eclipse.jetty.websocket.api.Callback.NOOP);
                    // CHECKSTYLE.ON: InlineFullyQualifiedName
                }
            });
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            lease.ifPresent(LiveSessions.Lease::close);
            try {
                stream.endOutput();
            } catch (IOException e) {
                stream.reset(ResetCode.CANCEL, "client closed");
            }
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            lease.ifPresent(LiveSessions.Lease::close);
            stream.reset(ResetCode.CANCEL, "client WebSocket failed");
        }
    }
}
