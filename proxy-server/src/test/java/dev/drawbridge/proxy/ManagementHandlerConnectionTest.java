package dev.drawbridge.proxy;

import dev.drawbridge.proxy.edge.TestServer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin host answers some requests before reading their body (here a 404 for a POST to a path it does not serve;
 * in the admin API a 404 for an unknown group, a 401). Jetty closes such a connection after the answer when the body
 * has not fully arrived yet; the answer must then say {@code Connection: close}, or a client that pools connections
 * (the admin client, JDK HttpClient) sends its next POST on a closed connection and fails: the cause of
 * GroupKerberosSystemTest's flake ("header parser received no bytes" on the POST after a test of 404s). A body that has
 * arrived is dropped and the connection kept.
 */
class ManagementHandlerConnectionTest {
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        // Only paths the handler answers itself: the admin API, registration and endpoints are not reached.
        ManagementHandler management = new ManagementHandler(null, null, null);
        server = TestServer.start(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                return management.handle(request, response, callback);
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void anAnswerWrittenBeforeTheBodyArrivedSaysTheConnectionCloses() throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            // The head only: the body is still on its way when the answer is written.
            s.getOutputStream().write(("POST /nope HTTP/1.1\r\nHost: admin.localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 11\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String head = readAnswer(s.getInputStream());

            assertThat(head).startsWith("HTTP/1.1 404");
            assertThat(head.toLowerCase(Locale.ROOT)).as("the answer of a connection Jetty closes after it").contains("\r\nconnection: close\r\n");
            assertThat(s.getInputStream().read()).as("closed").isEqualTo(-1);
        }
    }

    @Test
    void aBodyThatArrivedIsDroppedAndTheConnectionServesTheNextRequest() throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("POST /nope HTTP/1.1\r\nHost: admin.localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 11\r\n\r\n{\"a\": true}").getBytes(StandardCharsets.US_ASCII));
            String first = readAnswer(s.getInputStream());
            assertThat(first).startsWith("HTTP/1.1 404");
            assertThat(first.toLowerCase(Locale.ROOT)).doesNotContain("connection: close");

            s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: admin.localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readAnswer(s.getInputStream())).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void aChunkedBodyCutShortClosesTheConnectionAndItsRestIsNeverReadAsARequest() throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("POST /nope HTTP/1.1\r\nHost: admin.localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String head = readAnswer(s.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 404");
            assertThat(head.toLowerCase(Locale.ROOT)).contains("\r\nconnection: close\r\n");
            try {
                s.getOutputStream().write("0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: admin.localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException closedAlready) {
                // the server closed first: nothing of it is read either
            }
            assertThat(readRest(s.getInputStream())).as("nothing after the answer").isEmpty();
        }
    }

    @Test
    void aBodyThatLooksLikeARequestIsDroppedAsABodyNotAnswered() throws IOException {
        String smuggled = "GET /healthz HTTP/1.1\r\nHost: admin.localhost\r\n\r\n";
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("POST /nope HTTP/1.1\r\nHost: admin.localhost\r\nContent-Length: " + smuggled.length() + "\r\n\r\n"
                    + smuggled + "GET /other HTTP/1.1\r\nHost: admin.localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(readAnswer(s.getInputStream())).startsWith("HTTP/1.1 404");
            assertThat(readAnswer(s.getInputStream())).as("the next request, not the body").startsWith("HTTP/1.1 404");
            assertThat(readRest(s.getInputStream())).isEmpty();
        }
    }

    /** Whatever comes until the connection closes. */
    private static String readRest(InputStream in) throws IOException {
        try {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (SocketException reset) {
            return "";
        }
    }

    /** One answer's head (with its blank line), its body (Content-Length) read and skipped. */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("an answer before the connection closed").isNotEqualTo(-1);
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        long length = text.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("content-length:"))
                .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(':') + 1).strip())).findFirst().orElse(0);
        assertThat(in.readNBytes((int) length)).hasSize((int) length);
        return text;
    }
}
