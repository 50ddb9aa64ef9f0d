package dev.drawbridge.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A JDK HttpServer on a loopback port playing the admin API with canned answers per method and path, recording each
 * request (method, path, body), and the CLI run in-process against it: for tests of what a command sends and how it
 * prints what comes back, including hostile answers.
 */
final class FakeAdminServer implements AutoCloseable {
    /** One request the server received (its Content-Type: null when it had none). */
    record Received(String method, String path, String body, String contentType) {
    }

    /** A run's exit code and what it printed. */
    record Run(int exit, String out, String err) {
    }

    private record Canned(int status, String contentType, String body) {
    }

    private final HttpServer server;
    private final Map<String, Canned> answers = new ConcurrentHashMap<>();
    final List<Received> received = new CopyOnWriteArrayList<>();

    FakeAdminServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Answers {@code method path} with {@code status} and a JSON (or problem) body. */
    FakeAdminServer answer(String method, String path, int status, String json) {
        answers.put(method + " " + path, new Canned(status, status >= 400 ? "application/problem+json" : "application/json", json));
        return this;
    }

    /** Answers {@code method path} with a body of {@code contentType}. */
    FakeAdminServer answer(String method, String path, String contentType, String body) {
        answers.put(method + " " + path, new Canned(200, contentType, body));
        return this;
    }

    private void handle(HttpExchange x) throws IOException {
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(new Received(x.getRequestMethod(), x.getRequestURI().getPath(), body, x.getRequestHeaders().getFirst("Content-Type")));
        Canned c = answers.getOrDefault(x.getRequestMethod() + " " + x.getRequestURI().getPath(),
                new Canned(404, "application/problem+json", "{\"title\":\"Not found\",\"status\":404,\"detail\":\"no such resource\"}"));
        byte[] bytes = c.body().getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", c.contentType());
        x.sendResponseHeaders(c.status(), bytes.length == 0 ? -1 : bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }

    /** The requests of {@code method} to {@code path}. */
    List<Received> received(String method, String path) {
        return received.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }

    /** Runs the CLI against this server with a token and no stored login; {@code stdin} as standard input. */
    Run run(Path configDir, String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", "http://127.0.0.1:" + server.getAddress().getPort(), "--token", "dbadm_test"));
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = DrawbridgeCli.commandLine(new DrawbridgeCli(Map.of("DRAWBRIDGE_CONFIG_DIR", configDir.toString()),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Run(cl.execute(all.toArray(String[]::new)), out.toString(), err.toString());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
