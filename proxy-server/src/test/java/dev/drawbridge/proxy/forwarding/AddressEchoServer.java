package dev.drawbridge.proxy.forwarding;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A real Jetty server on an ephemeral loopback port whose one handler answers with the request's remote address
 * and port as handlers see them ({@link Request#getRemoteAddr}) — or 500 if that is not an IP address, which no
 * handler may ever be given —, and a raw client that can choose the local
 * address it connects from (127.0.0.1 and 127.0.0.2 are both loopback) and send bytes before the request.
 */
final class AddressEchoServer implements AutoCloseable {
    private final Server server = new Server();
    private final ServerConnector connector;

    /**
     * Plain HTTP/1.1 with a {@link ClientAddressCustomizer} for {@code trusted}; with {@code proxyProtocol}, a
     * {@link ProxyProtocolGate} and its address check first.
     */
    AddressEchoServer(TrustedProxies trusted, boolean proxyProtocol) throws Exception {
        HttpConfiguration http = new HttpConfiguration();
        http.addCustomizer(new ClientAddressCustomizer(trusted));
        HttpConnectionFactory h1 = new HttpConnectionFactory(http);
        ProxyProtocolGate gate = new ProxyProtocolGate(trusted, h1.getProtocol());
        ConnectionFactory[] factories = proxyProtocol
                ? new ConnectionFactory[]{gate, gate.addressCheck(), h1} : new ConnectionFactory[]{h1};
        connector = new ServerConnector(server, factories);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                byte[] body = (Request.getRemoteAddr(request) + " " + Request.getRemotePort(request)).getBytes(StandardCharsets.UTF_8);
                if (!(request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress a) || a.getAddress() == null) {
                    // What the handlers behind must never see: a client address that is not an IP address.
                    response.setStatus(500);
                    body = ("not an IP address: " + request.getConnectionMetaData().getRemoteSocketAddress()).getBytes(StandardCharsets.UTF_8);
                }
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
                response.write(true, ByteBuffer.wrap(body), callback);
                return true;
            }
        });
        server.start();
    }

    /**
     * Connects from {@code from}, writes {@code preamble} (e.g. a PROXY header) and a GET with {@code headers};
     * returns the remote address and port the handler saw ("addr port"), or null when the server closed the
     * connection without answering.
     */
    String send(String from, byte[] preamble, String... headers) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.ofLiteral(from), 0));
            s.connect(new InetSocketAddress("127.0.0.1", connector.getLocalPort()), 5_000);
            s.setSoTimeout(10_000);
            StringBuilder req = new StringBuilder("GET / HTTP/1.1\r\nHost: app.example\r\nConnection: close\r\n");
            for (String h : headers) {
                req.append(h).append("\r\n");
            }
            OutputStream out = s.getOutputStream();
            try {
                out.write(preamble);
                out.flush();
                out.write(req.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException closedWhileWriting) {
                return null;
            }
            String response;
            try {
                response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            } catch (IOException reset) {
                return null;
            }
            if (response.isEmpty()) {
                return null;
            }
            if (!response.startsWith("HTTP/1.1 200")) {
                throw new AssertionError("unexpected answer: " + response);
            }
            return response.substring(response.indexOf("\r\n\r\n") + 4);
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
