package dev.drawbridge.adminclient;

import dev.drawbridge.adminclient.ServerUnreachableException.Reason;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The typed client against a server that answers its headers and then drips, floods or over-announces the body
 * (review9): every call ends within its one deadline, and no body is read past its cap (16 MiB of JSON, 512 KiB of
 * icon, 1 MiB of problem document); the connection is closed, so the server cannot keep sending. A raw socket plays
 * the server, since no real HTTP server misbehaves on purpose.
 */
class HostileBodyTest {
    /** A body the server writes after the headers; answers how many body bytes it wrote before the client hung up. */
    @FunctionalInterface
    interface Body {
        void write(OutputStream out, AtomicLong written) throws Exception;
    }

    /** One connection: reads the request, sends {@code head} and then {@code body}. */
    private static final class RawServer implements AutoCloseable {
        final ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        final AtomicLong written = new AtomicLong();
        final Thread thread;

        RawServer(String head, Body body) throws IOException {
            thread = Thread.startVirtualThread(() -> {
                try (Socket s = listener.accept(); OutputStream out = s.getOutputStream()) {
                    readHead(s.getInputStream());
                    out.write(head.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    body.write(out, written);
                } catch (Exception ignored) {
                    // the client hung up: what the tests want
                }
            });
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + listener.getLocalPort());
        }

        /** Waits (bounded) until the server gave up writing: the client closed the connection. */
        long writtenWhenClosed() throws InterruptedException {
            assertThat(thread.join(Duration.ofSeconds(20))).as("the client closed the connection").isTrue();
            return written.get();
        }

        @Override
        public void close() throws IOException {
            thread.interrupt();
            listener.close();
        }

        private static void readHead(InputStream in) throws IOException {
            int state = 0;
            for (int c; state < 4 && (c = in.read()) >= 0; ) {
                state = (c == '\r' && state % 2 == 0) || (c == '\n' && state % 2 == 1) ? state + 1 : c == '\r' ? 1 : 0;
            }
        }
    }

    private static final byte[] MIB = " ".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);

    /** Writes {@code mib} MiB of spaces (and counts them); the client's hang-up ends it with an exception. */
    private static Body flood(int mib) {
        return (out, written) -> {
            for (int i = 0; i < mib; i++) {
                out.write(MIB);
                written.addAndGet(MIB.length);
            }
            out.flush();
        };
    }

    private static Body chunkedFlood(int mib) {
        return (out, written) -> {
            byte[] head = (Integer.toHexString(MIB.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < mib; i++) {
                out.write(head);
                out.write(MIB);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                written.addAndGet(MIB.length);
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        };
    }

    private static HttpAdminApi client(RawServer s, Duration timeout) {
        return HttpAdminApi.to(s.uri()).token("secret-token").timeout(timeout).build();
    }

    /** A body within the cap that drips: one deadline for the whole exchange, the failure says how far it got. */
    @Test
    void aDrippingBodyWithinTheCapTimesOutSayingSo() throws Exception {
        Body drip = (out, written) -> {
            out.write('{');
            for (int i = 0; i < 600; i++) {
                out.write(' ');
                out.flush();
                written.incrementAndGet();
                Thread.sleep(50);
            }
        };
        try (RawServer s = new RawServer("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n", drip);
             HttpAdminApi api = client(s, Duration.ofSeconds(1))) {
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(api::me)
                    .isInstanceOfSatisfying(ServerUnreachableException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
                        assertThat(e.why()).matches("its answer \\(HTTP 200\\) did not finish within 1 s: \\d+ bytes of the body arrived");
                    }));
            assertThat(s.writtenWhenClosed()).isLessThan(600);
        }
    }

    /** The same for an error answer's problem document and for a chunked body without a length. */
    @Test
    void aDrippingProblemOrChunkedBodyTimesOut() throws Exception {
        Body chunks = (out, written) -> {
            for (int i = 0; i < 600; i++) {
                out.write("1\r\n \r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                written.incrementAndGet();
                Thread.sleep(50);
            }
        };
        for (String head : new String[]{"HTTP/1.1 500 Server Error\r\nContent-Type: application/problem+json\r\nTransfer-Encoding: chunked\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"}) {
            try (RawServer s = new RawServer(head, chunks); HttpAdminApi api = client(s, Duration.ofSeconds(1))) {
                assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> api.apps().list(Paging.DEFAULT))
                        .isInstanceOfSatisfying(ServerUnreachableException.class, e -> {
                            assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
                            assertThat(e.why()).contains("did not finish within 1 s");
                        }));
                assertThat(s.writtenWhenClosed()).isLessThan(600);
            }
        }
    }

    /** A Content-Length over the cap is refused before the body is read, for JSON, icons and problem documents. */
    @Test
    void aContentLengthOverTheCapIsRefusedUpFront() throws Exception {
        record Case(String status, long length, boolean icon, long cap) {
        }
        for (Case c : new Case[]{new Case("200 OK", 100_000_000_000L, false, BoundedBody.JSON_CAP),
                new Case("200 OK", BoundedBody.JSON_CAP + 1, false, BoundedBody.JSON_CAP),
                new Case("200 OK", BoundedBody.RAW_CAP + 1, true, BoundedBody.RAW_CAP),
                new Case("404 Not Found", BoundedBody.PROBLEM_CAP + 1, false, BoundedBody.PROBLEM_CAP),
                new Case("302 Found", BoundedBody.PROBLEM_CAP + 1, false, BoundedBody.PROBLEM_CAP)}) {
            String head = "HTTP/1.1 " + c.status() + "\r\nContent-Type: application/json\r\nContent-Length: " + c.length() + "\r\n\r\n";
            try (RawServer s = new RawServer(head, flood(1024)); HttpAdminApi api = client(s, Duration.ofSeconds(30))) {
                assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> {
                    if (c.icon()) {
                        api.apps().icon("a");
                    } else {
                        api.me();
                    }
                }).isInstanceOfSatisfying(UnexpectedAnswerException.class, e -> {
                    assertThat(e.status()).isEqualTo(Integer.parseInt(c.status().substring(0, 3)));
                    assertThat(e.getMessage()).contains("announced", c.length() + " bytes", "more than the " + c.cap() + " bytes");
                }));
                assertThat(s.writtenWhenClosed()).as(c.toString()).isLessThan(64L << 20);
            }
        }
    }

    /** A body without a length (or longer than it said) is cut off at the cap; the client hangs up there. */
    @Test
    void aFloodWithoutALengthIsCutOffAtTheCap() throws Exception {
        record Case(String status, boolean icon, long cap) {
        }
        for (Case c : new Case[]{new Case("200 OK", false, BoundedBody.JSON_CAP), new Case("200 OK", true, BoundedBody.RAW_CAP),
                new Case("500 Server Error", false, BoundedBody.PROBLEM_CAP)}) {
            String head = "HTTP/1.1 " + c.status() + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
            try (RawServer s = new RawServer(head, chunkedFlood(1024)); HttpAdminApi api = client(s, Duration.ofSeconds(30))) {
                assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThatThrownBy(() -> {
                    if (c.icon()) {
                        api.apps().icon("a");
                    } else {
                        api.me();
                    }
                }).isInstanceOfSatisfying(UnexpectedAnswerException.class,
                        e -> assertThat(e.getMessage()).contains("grew past the " + c.cap() + " bytes", "admin URL")));
                assertThat(s.writtenWhenClosed()).as(c.toString()).isLessThan(c.cap() + (48L << 20));
            }
        }
    }

    /** An icon a little above the server's own limit (256 KiB) still arrives whole; the cap is not the server's limit. */
    @Test
    void anIconUpToItsCapArrivesWhole() throws Exception {
        int size = (int) BoundedBody.RAW_CAP;
        Body png = (out, written) -> {
            out.write(new byte[size]);
            out.flush();
        };
        try (RawServer s = new RawServer("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: " + size + "\r\n\r\n", png);
             HttpAdminApi api = client(s, Duration.ofSeconds(10))) {
            Icon icon = api.apps().icon("a");
            assertThat(icon.bytes()).hasSize(size);
            assertThat(icon.mediaType()).isEqualTo("image/png");
        }
    }
}
