package dev.drawbridge.testsupport.sample;

import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The sample "internal app" used by the demo and by the system tests: a small, real Jetty 12 server (core API, no
 * servlets, virtual threads) that Drawbridge publishes through the connector.
 *
 * <p>It serves plain HTTP on a configurable host and port (port 0 picks an ephemeral port) and exposes endpoints that
 * exercise everything a proxy has to get right:
 * <ul>
 *   <li>{@code GET /} and {@code GET /page2}: HTML pages whose links are <em>absolute internal</em> URLs built from
 *       the request's own {@code Host} header, plus a form posting to {@code /form}; the home page also shows "who the
 *       app sees", the sign-in headers the request carried ({@link SignInFacts}: each single sign-on method's effect);</li>
 *   <li>{@code POST /form}: echoes the url-encoded {@code message} field as "You sent: ...";</li>
 *   <li>{@code ANY /echo/...} and {@code ANY /headers}: a JSON description of the request exactly as received (raw
 *       encoded path, raw query, headers, body length and SHA-256), {@code ?status=NNN} picks the status;</li>
 *   <li>{@code GET /download?size=N[&chunked=true]}: N bytes of the {@link #patternByte(long)} pattern, streamed;</li>
 *   <li>{@code POST|PUT /upload}: streams the body and answers {@code {"bytes":n,"sha256":"hex"}};</li>
 *   <li>{@code GET /slow?ms=N}, {@code GET /sse?count=N&intervalMs=M[&header=NAME]}: slow and server-sent-event responses (with
 *       {@code header}, a first event carries that request header's values);</li>
 *   <li>{@code GET /ws}: WebSocket echo (text and binary; the first offered subprotocol is accepted; the text
 *       {@code ?headers} answers the upgrade request's headers);</li>
 *   <li>{@code GET /redirect}: 302 to the absolute internal {@code /page2} and a domain cookie;
 *       {@code GET /cookie}: sets a session cookie and echoes the request's {@code Cookie} header;</li>
 *   <li>anything else: 404 "not found in sample app".</li>
 * </ul>
 * The server accepts encoded paths as they are ({@link UriCompliance#UNSAFE}, so {@code %2F} and {@code %25} pass)
 * and request headers up to 32 KiB.
 *
 * <p>Use {@link #start(String, int)} in tests (and close it), or run {@link #main(String[])} for the demo.
 */
@SuppressWarnings("try") // close() throws Exception, as the API asks, hence may "throw InterruptedException"
public final class SampleApp implements AutoCloseable {

    /** Largest request and response header block accepted, in bytes. */
    static final int HEADER_SIZE = 32 * 1024;

    private final Server server;
    private final ServerConnector connector;
    private final String host;
    private final SampleHandler handler;

    private SampleApp(Server server, ServerConnector connector, String host, SampleHandler handler) {
        this.handler = handler;
        this.server = server;
        this.connector = connector;
        this.host = host;
    }

    /**
     * Creates and starts a sample app.
     *
     * @param host the address to bind ({@code 127.0.0.1} in tests; {@code 0.0.0.0} binds every interface)
     * @param port the port to bind, or 0 for an ephemeral one (see {@link #port()})
     * @return the started app; close it to stop the server
     * @throws Exception if the server cannot start (for example the port is taken)
     */
    public static SampleApp start(String host, int port) throws Exception {
        Server server = new Server(new VirtualThreadPool());

        HttpConfiguration http = new HttpConfiguration();
        http.setUriCompliance(UriCompliance.UNSAFE);
        http.setRequestHeaderSize(HEADER_SIZE);
        http.setResponseHeaderSize(HEADER_SIZE);
        http.setSendServerVersion(false);

        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(Duration.ofMinutes(5).toMillis());
        server.addConnector(connector);

        WebSocketUpgradeHandler webSocket = WebSocketUpgradeHandler.from(server, container -> {
            container.setMaxTextMessageSize(16L * 1024 * 1024);
            container.setMaxBinaryMessageSize(16L * 1024 * 1024);
            container.setIdleTimeout(Duration.ofMinutes(5));
            container.addMapping("/ws", (request, response, callback) -> {
                var offered = request.getSubProtocols();
                if (offered != null && !offered.isEmpty()) {
                    response.setAcceptedSubProtocol(offered.getFirst());
                }
                return new EchoEndpoint();
            });
        });
        SampleHandler handler = new SampleHandler();
        webSocket.setHandler(handler);
        server.setHandler(webSocket);

        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return new SampleApp(server, connector, host, handler);
    }

    /** @return the port the server listens on (the ephemeral one when started with port 0) */
    /** How many {@code /slow} requests the app is serving right now. */
    /**
     * Other internal apps its home page links to by their internal URLs, by name, in this order (the demo's example of
     * link translation: published, those links become external).
     */
    public void linkTo(Map<String, URI> apps) {
        handler.linkTo(apps);
    }

    public int slowRequestsInFlight() {
        return handler.slowInFlight.get();
    }

    public int port() {
        return connector.getLocalPort();
    }

    /**
     * @return the app's base URL, {@code http://<host>:<port>/}; a wildcard bind address ({@code 0.0.0.0},
     *     {@code ::}) or no host is reported as {@code 127.0.0.1}
     */
    public URI baseUri() {
        String h = host;
        if (h == null || h.isBlank() || h.equals("0.0.0.0") || h.equals("::") || h.equals("[::]")) {
            h = "127.0.0.1";
        } else if (h.indexOf(':') >= 0 && !h.startsWith("[")) {
            h = "[" + h + "]";
        }
        return URI.create("http://" + h + ":" + port() + "/");
    }

    /** Stops the server; in-flight requests are aborted. Calling it again does nothing. */
    @Override
    public void close() throws Exception {
        if (!server.isStopped()) {
            server.stop();
        }
    }

    /**
     * The byte at offset {@code i} of every {@code /download} body:
     * {@code (byte) ((i * 31 + (i >>> 8)) & 0xFF)}. The pattern repeats every 65536 bytes.
     *
     * @param i the offset in the body, from 0
     * @return the byte at that offset
     */
    public static byte patternByte(long i) {
        return (byte) ((i * 31 + (i >>> 8)) & 0xFF);
    }

    /**
     * Runs the sample app until Ctrl-C: {@code --host} (default {@code 127.0.0.1}) and {@code --port} (default
     * {@code 8080}). Prints the URL it listens on.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        int exit = new CommandLine(new Cli()).execute(args);
        if (exit != 0) {
            System.exit(exit);
        }
    }

    @Command(name = "sample-app", mixinStandardHelpOptions = true,
            description = "Runs the Drawbridge sample internal app until Ctrl-C.")
    static final class Cli implements Callable<Integer> {

        @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
        String host;

        @Option(names = "--port", defaultValue = "8080", description = "Port to bind, 0 for any (default: ${DEFAULT-VALUE}).")
        int port;

        @Override
        public Integer call() throws Exception {
            quietDefaultLogging();
            SampleApp app = start(host, port);
            app.server.setStopAtShutdown(true);
            System.out.println("Sample internal app listening on " + app.baseUri() + " (Ctrl-C to stop)");
            app.server.join();
            return 0;
        }
    }

    /**
     * Without a configuration file logback logs everything at DEBUG, which buries the demo's output: when no
     * configuration is found and logback is the SLF4J backend, raise its root level to INFO. Otherwise leave logging
     * alone.
     */
    private static void quietDefaultLogging() {
        ClassLoader loader = SampleApp.class.getClassLoader();
        if (System.getProperty("logback.configurationFile") != null || loader.getResource("logback.xml") != null
                || loader.getResource("logback-test.xml") != null) {
            return;
        }
        try {
            Object root = LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
            Class<?> level = Class.forName("ch.qos.logback.classic.Level", true, loader);
            root.getClass().getMethod("setLevel", level).invoke(root, level.getField("INFO").get(null));
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            // Not logback (or an unexpected version): keep the backend's own defaults.
        }
    }
}
