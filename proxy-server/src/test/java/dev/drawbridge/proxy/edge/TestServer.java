package dev.drawbridge.proxy.edge;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Component-test fixture: one real Jetty server on an ephemeral loopback port (plain HTTP/1.1, the public
 * listener's URI compliance) running the handler under test, and a raw HTTP/1.1 client that sends a request line
 * byte for byte (no client-side path normalisation), so every spelling of a path reaches the server as written.
 */
public final class TestServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;

    private TestServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    public static TestServer start(Handler handler) throws Exception {
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setUriCompliance(PublicChain.URI_COMPLIANCE);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(handler);
        server.start();
        return new TestServer(server, connector);
    }

    public Server server() {
        return server;
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** A GET of {@code target} (the request-target exactly as given) for {@code host}, with extra header lines. */
    public Answer get(String host, String target, String... headers) throws IOException {
        return send("GET " + target + " HTTP/1.1", host, headers);
    }

    /** Sends one request (a request line, Host, the header lines, no body) on a new connection and reads the answer. */
    public Answer send(String requestLine, String host, String... headers) throws IOException {
        return send(port(), requestLine, host, headers);
    }

    public static Answer send(int port, String requestLine, String host, String... headers) throws IOException {
        return send(port, requestLine, host, new byte[0], headers);
    }

    /** A POST of {@code body} (with its Content-Length) to {@code target} for {@code host}, with extra header lines. */
    public Answer post(String host, String target, byte[] body, String... headers) throws IOException {
        String[] all = Arrays.copyOf(headers, headers.length + 1);
        all[headers.length] = "Content-Length: " + body.length;
        return send(port(), "POST " + target + " HTTP/1.1", host, body, all);
    }

    private static Answer send(int port, String requestLine, String host, byte[] body, String... headers) throws IOException {
        StringBuilder req = new StringBuilder(requestLine).append("\r\nHost: ").append(host).append("\r\n");
        for (String h : headers) {
            req.append(h).append("\r\n");
        }
        req.append("Connection: close\r\n\r\n");
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(req.toString().getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().write(body);
            s.getOutputStream().flush();
            return Answer.parse(s.getInputStream().readAllBytes());
        }
    }

    /** A response: status, headers (names lower-cased, in order), body (chunked coding removed). */
    public record Answer(int status, Map<String, List<String>> headers, String body) {
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT))).map(List::getFirst);
        }

        public List<String> headers(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }

        /** Whether Drawbridge wrote this answer itself. */
        public boolean generated() {
            return header("X-Drawbridge-Generated").filter("true"::equals).isPresent();
        }

        static Answer parse(byte[] raw) throws IOException {
            String all = new String(raw, StandardCharsets.ISO_8859_1);
            int end = all.indexOf("\r\n\r\n");
            if (end < 0) {
                throw new IOException("no complete response head in: " + all);
            }
            String[] lines = all.substring(0, end).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.computeIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).strip());
            }
            byte[] body = Arrays.copyOfRange(raw, end + 4, raw.length);
            if (headers.getOrDefault("transfer-encoding", List.of()).contains("chunked")) {
                body = unchunk(body);
            }
            return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
        }

        private static byte[] unchunk(byte[] body) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            InputStream in = new ByteArrayInputStream(body);
            while (true) {
                StringBuilder size = new StringBuilder();
                int c;
                while ((c = in.read()) != '\n') {
                    if (c < 0) {
                        throw new IOException("truncated chunked body");
                    }
                    if (c != '\r') {
                        size.append((char) c);
                    }
                }
                int n = Integer.parseInt(size.toString().split(";")[0].strip(), 16);
                if (n == 0) {
                    return out.toByteArray();
                }
                out.write(in.readNBytes(n));
                in.readNBytes(2);
            }
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
