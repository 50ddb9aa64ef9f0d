package dev.drawbridge.testsupport.net;

import dev.drawbridge.model.http.LocalhostNames;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ConnectHandler;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP forward proxy on loopback that only tunnels ({@code CONNECT}), as the corporate proxies a connector may have to
 * go through: Jetty's {@link ConnectHandler}, optionally wanting {@code Proxy-Authorization: Basic}. It records every
 * CONNECT it was asked for (the target and whether it was let through), resolves {@code *.localhost} to loopback as the
 * test servers need, and can be stopped and started again on the same port.
 */
public final class ForwardProxy implements AutoCloseable {
    /** One CONNECT request: its target ({@code host:port}) and whether the proxy let it through (credentials). */
    public record Connect(String target, boolean allowed) {
    }

    private final Optional<String> expectedAuthorization;
    private final List<Connect> connects = new CopyOnWriteArrayList<>();
    private Server server;
    private int port;

    private ForwardProxy(Optional<String> user, Optional<String> password) {
        this.expectedAuthorization = user.map(u -> "Basic " + Base64.getEncoder()
                .encodeToString((u + ":" + password.orElseThrow()).getBytes(StandardCharsets.UTF_8)));
    }

    /** A proxy that wants no credentials. */
    public static ForwardProxy start() throws Exception {
        return start(Optional.empty(), Optional.empty());
    }

    /** A proxy that answers 407 to a CONNECT without {@code user}'s and {@code password}'s Basic credentials. */
    public static ForwardProxy start(Optional<String> user, Optional<String> password) throws Exception {
        ForwardProxy p = new ForwardProxy(user, password);
        p.listen(0);
        return p;
    }

    private void listen(int onPort) throws Exception {
        Server s = new Server();
        ServerConnector c = new ServerConnector(s);
        c.setHost("127.0.0.1");
        c.setPort(onPort);
        s.addConnector(c);
        s.setHandler(new ConnectHandler() {
            @Override
            protected boolean handleAuthentication(Request request, Response response, String address) {
                boolean ok = expectedAuthorization.isEmpty() || constantTimeEquals(expectedAuthorization.get(),
                        request.getHeaders().get(HttpHeader.PROXY_AUTHORIZATION));
                connects.add(new Connect(address, ok));
                return ok;
            }

            @Override
            protected InetSocketAddress newConnectAddress(String host, int port) {
                return LocalhostNames.loopbackFor(host).map(a -> new InetSocketAddress(a, port))
                        .orElseGet(() -> super.newConnectAddress(host, port));
            }
        });
        s.start();
        server = s;
        port = c.getLocalPort();
    }

    private static boolean constantTimeEquals(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The CONNECT requests so far, in order. */
    public List<Connect> connects() {
        return List.copyOf(connects);
    }

    /** Stops listening; open tunnels through it are closed. */
    public void stop() throws Exception {
        server.stop();
    }

    /** Listens again on the same port. */
    public void restart() throws Exception {
        listen(port);
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.stop();
        }
    }
}
