package dev.drawbridge.systemtests.cluster;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

import java.io.OutputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The app behind the connectors of {@link ClusterProcessesTest}: plain HTTP on loopback, in the test JVM.
 * {@code GET /stream?size=N&seed=S&pauseMs=D[&chunked=true]} streams N deterministic bytes (those of {@link #body}) in
 * 16 KiB writes, D ms apart, with a Content-Length unless chunked: a request is in flight for as long as the test wants,
 * and the client can check the length and SHA-256 of every body it got. Every other path answers {@code NAME PATH}, so
 * that a client sees which app (and which of its paths) served it.
 */
final class StreamingBackend implements AutoCloseable {
    static final int CHUNK = 16 * 1024;
    static final long MAX_SIZE = 16L * 1024 * 1024;
    private static final Map<String, String> DIGESTS = new ConcurrentHashMap<>();

    private final Server server;
    private final String name;

    private StreamingBackend(Server server, String name) {
        this.server = server;
        this.name = name;
    }

    static StreamingBackend start(String name) throws Exception {
        Server server = new Server(new VirtualThreadPool());
        ServerConnector http = new ServerConnector(server);
        http.setHost("127.0.0.1");
        http.setPort(0);
        server.addConnector(http);
        StreamingBackend backend = new StreamingBackend(server, name);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                backend.serve(request, response, callback);
                return true;
            }
        });
        server.start();
        return backend;
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/");
    }

    private void serve(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (!path.equals("/stream") && !path.endsWith("/stream")) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
            Content.Sink.write(response, true, name + " " + path, callback);
            return;
        }
        Fields q = Request.extractQueryParameters(request);
        long size = Math.min(MAX_SIZE, Long.parseLong(q.getValue("size")));
        long seed = Long.parseLong(q.getValue("seed"));
        long pauseMs = Math.min(1000, Long.parseLong(q.getValue("pauseMs")));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
        if (!"true".equals(q.getValue("chunked"))) {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, size);
        }
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            body(seed, size, chunk -> {
                try {
                    out.write(chunk);
                    out.flush();
                    if (pauseMs > 0) {
                        Thread.sleep(pauseMs);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (Throwable failure) {
            callback.failed(failure);
            return;
        }
        callback.succeeded();
    }

    /** The {@code size} bytes of {@code seed}, given in order to {@code sink} in chunks of at most {@link #CHUNK}. */
    static void body(long seed, long size, Consumer<byte[]> sink) {
        SplittableRandom random = new SplittableRandom(seed);
        for (long left = size; left > 0; left -= CHUNK) {
            byte[] chunk = new byte[(int) Math.min(CHUNK, left)];
            random.nextBytes(chunk);
            sink.accept(chunk);
        }
    }

    /** The SHA-256 (hex) of {@link #body}{@code (seed, size)}, computed once per pair. */
    static String sha256(long seed, long size) {
        return DIGESTS.computeIfAbsent(seed + "/" + size, k -> {
            MessageDigest d = digest();
            body(seed, size, d::update);
            return HexFormat.of().formatHex(d.digest());
        });
    }

    /** The SHA-256 (hex) of {@code bytes}. */
    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
