import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The WebSocket echo backend of bench/deployed.sh's idle-WebSocket figure: plain HTTP on 127.0.0.1:&lt;port&gt;, a WebSocket
 * echo at /ws, "ok" anywhere else. Run with the proxy server's class path (Jetty's WebSocket server):
 * {@code java -cp <class path> WsEcho.java <port>}; prints "ws echo listening on PORT". A benchmark tool.
 */
public final class WsEcho {
    public static void main(String[] args) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setVirtualThreadsExecutor(null);
        Server server = new Server(threads);
        ServerConnector http = new ServerConnector(server, 1, 1);
        http.setHost("127.0.0.1");
        http.setPort(Integer.parseInt(args[0]));
        http.setAcceptQueueSize(4096);
        http.setIdleTimeout(Duration.ofMinutes(30).toMillis());
        server.addConnector(http);
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, container -> {
            container.setIdleTimeout(Duration.ofMinutes(30));
            container.addMapping("/ws", (request, response, callback) -> new Echo());
        });
        ws.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                response.write(true, ByteBuffer.wrap("ok".getBytes(StandardCharsets.US_ASCII)), callback);
                return true;
            }
        });
        server.setHandler(ws);
        server.start();
        System.out.println("ws echo listening on " + http.getLocalPort());
        System.out.flush();
        server.join();
    }

    /** Echoes text as text and binary as binary. Public: Jetty requires it. */
    public static final class Echo implements Session.Listener.AutoDemanding {
        private volatile Session session;

        @Override
        public void onWebSocketOpen(Session s) {
            session = s;
        }

        @Override
        public void onWebSocketText(String message) {
            session.sendText(message, org.eclipse.jetty.websocket.api.Callback.NOOP);
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, org.eclipse.jetty.websocket.api.Callback callback) {
            session.sendBinary(payload, callback);
        }
    }
}
