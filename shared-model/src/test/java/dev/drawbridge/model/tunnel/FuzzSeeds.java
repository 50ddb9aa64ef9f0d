package dev.drawbridge.model.tunnel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the hand-made seeds of the fuzz tests ({@link FrameCodecFuzzTest}, {@link MultiplexerFuzzTest}) into their
 * inputs directories: one valid frame of every type, and the classic malformations (truncations, lengths claiming
 * more than the frame holds). Run once by hand ({@code main}, the argument being shared-model's test resources
 * folder); the fuzzer grows the corpus from there. Not a test.
 */
public final class FuzzSeeds {
    private FuzzSeeds() {
    }

    public static void main(String[] args) throws IOException {
        Path base = Path.of(args[0]).resolve("dev/drawbridge/model/tunnel");
        Map<String, byte[]> frames = frames();
        Path any = base.resolve("FrameCodecFuzzTestInputs/decodeAnyFrame");
        Path request = base.resolve("FrameCodecFuzzTestInputs/decodeRequestHead");
        Path response = base.resolve("FrameCodecFuzzTestInputs/decodeResponseHead");
        Path mux = base.resolve("MultiplexerFuzzTestInputs/receiveAnyFrames");
        Path split = base.resolve("LengthPrefixedFramesFuzzTestInputs/splitAnywhere");
        for (Path p : List.of(any, request, response, mux, split)) {
            Files.createDirectories(p);
        }
        for (var f : frames.entrySet()) {
            Files.write(any.resolve("seed-" + f.getKey()), f.getValue());
        }
        Files.write(any.resolve("seed-string-length-max"), bytes(1, 0, 0, 0, 1, 0x7f, 0xff, 0xff, 0xff, 'a'));
        Files.write(any.resolve("seed-string-length-negative"), bytes(5, 0, 0, 0, 1, 1, 0x80, 0, 0, 0));
        Files.write(any.resolve("seed-header-count-max"), bytes(2, 0, 0, 0, 1, 0, 200, 0xff, 0xff));
        Files.write(any.resolve("seed-truncated-open"), Arrays.copyOf(frames.get("open"), 12));
        Files.write(any.resolve("seed-unknown-type"), bytes(42, 0, 0, 0, 1));
        Files.write(any.resolve("seed-window-zero"), bytes(6, 0, 0, 0, 1, 0, 0, 0, 0));
        Files.write(any.resolve("seed-stream-negative"), bytes(4, 0x80, 0, 0, 0));
        Files.write(any.resolve("seed-config-on-stream"), bytes(11, 0, 0, 0, 1, 0, 0, 0, 1, 'k', 0, 0));
        Files.write(any.resolve("seed-trailers-count-max"), bytes(12, 0, 0, 0, 1, 0xff, 0xff));
        Files.write(any.resolve("seed-trailers-truncated"), Arrays.copyOf(frames.get("trailers"), 14));
        Files.write(any.resolve("seed-config-entry-count-max"), bytes(11, 0, 0, 0, 0, 0, 0, 0, 1, 'k', 0xff, 0xff));

        Files.write(request.resolve("seed-open"), payload(frames.get("open")));
        Files.write(request.resolve("seed-open-tcp"), payload(frames.get("open-tcp")));
        Files.write(request.resolve("seed-open-websocket"), payload(frames.get("open-websocket")));
        Files.write(request.resolve("seed-string-length-max"), bytes(0x7f, 0xff, 0xff, 0xff, 'a'));
        Files.write(request.resolve("seed-open-identity"), payload(frames.get("open-identity")));
        // Identity flag set, no identity string after the (empty) headers.
        Files.write(request.resolve("seed-identity-flag-without-string"), bytes(0, 0, 0, 1, 'a', 0, 0, 0, 3, 'G', 'E', 'T',
                0, 0, 0, 1, '/', 0, 0, 0, 0, 4, 0, 0));
        Files.write(request.resolve("seed-identity-length-max"), bytes(0, 0, 0, 1, 'a', 0, 0, 0, 3, 'G', 'E', 'T',
                0, 0, 0, 1, '/', 0, 0, 0, 0, 4, 0, 0, 0x7f, 0xff, 0xff, 0xff, 'e'));

        Files.write(response.resolve("seed-head"), concat(bytes(0), payload(frames.get("head"))));
        Files.write(response.resolve("seed-whole"), concat(bytes(1), payload(frames.get("whole"))));
        Files.write(response.resolve("seed-status-zero"), bytes(0, 0, 0, 0, 0));

        splitSeeds(split, frames);

        // Sequences for the multiplexer: u16 length + frame, repeated.
        byte[] open1 = FrameCodecs.bytes(new Frame.Open(1, head(true, false)));
        Files.write(mux.resolve("seed-config-then-open-identity"), sequence(frames.get("config"), frames.get("open-identity")));
        Files.write(mux.resolve("seed-request-with-body"), sequence(open1,
                FrameCodecs.bytes(new Frame.Data(1, new byte[100])), FrameCodecs.bytes(new Frame.End(1))));
        Files.write(mux.resolve("seed-response-to-proxy"), sequence(
                FrameCodecs.bytes(new Frame.Head(1, new ResponseHead(200, List.of(new HeaderField("A", "b"))))),
                FrameCodecs.bytes(new Frame.Data(1, new byte[10])), FrameCodecs.bytes(new Frame.Window(1, 1000)),
                FrameCodecs.bytes(new Frame.End(1)), FrameCodecs.bytes(new Frame.Whole(3, new ResponseHead(204, List.of()), new byte[0])),
                FrameCodecs.bytes(new Frame.Reset(5, ResetCode.UPSTREAM_TIMEOUT, "late"))));
        Files.write(mux.resolve("seed-data-after-end"), sequence(open1,
                FrameCodecs.bytes(new Frame.Data(1, new byte[1_000])), FrameCodecs.bytes(new Frame.End(1)),
                FrameCodecs.bytes(new Frame.Data(1, new byte[10]))));
        Files.write(mux.resolve("seed-request-with-trailers"), sequence(open1,
                FrameCodecs.bytes(new Frame.Data(1, new byte[5])), frames.get("trailers"), FrameCodecs.bytes(new Frame.Data(1, new byte[1])),
                FrameCodecs.bytes(new Frame.Trailers(1, List.of()))));
        Files.write(mux.resolve("seed-duplicate-open-and-goaway"), sequence(open1, open1,
                FrameCodecs.bytes(new Frame.GoAway("bye")), FrameCodecs.bytes(new Frame.Ping(7))));
    }

    /**
     * Seeds of {@link LengthPrefixedFramesFuzzTest#splitAnywhere}: a split plan (count, then chunk sizes - 1) and then
     * every frame with its length prefix, whole and split; and the bad lengths (0, 4, 2^31, the largest + 1).
     */
    private static void splitSeeds(Path dir, Map<String, byte[]> frames) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (var f : frames.entrySet()) {
            byte[] prefixed = prefixed(f.getValue());
            all.writeBytes(prefixed);
            Files.write(dir.resolve("seed-" + f.getKey()), concat(bytes(0), prefixed));
        }
        Files.write(dir.resolve("seed-all-whole"), concat(bytes(0), all.toByteArray()));
        Files.write(dir.resolve("seed-all-split-1-3-7"), concat(bytes(3, 0, 2, 6), all.toByteArray()));
        Files.write(dir.resolve("seed-all-split-byte-by-byte"), concat(bytes(1, 0), all.toByteArray()));
        Files.write(dir.resolve("seed-length-zero"), bytes(0, 0, 0, 0, 0, 4, 0, 0, 0, 1));
        Files.write(dir.resolve("seed-length-four"), bytes(1, 1, 0, 0, 0, 4, 4, 0, 0, 0));
        Files.write(dir.resolve("seed-length-2-31"), bytes(2, 0, 1, 0x80, 0, 0, 0, 4, 0, 0, 0, 1));
        Files.write(dir.resolve("seed-length-max-plus-one"), bytes(0, 0, 4, 0, 1, 4, 0, 0, 0, 1));
        Files.write(dir.resolve("seed-length-claims-more"), concat(bytes(0, 0, 0, 1, 0), Arrays.copyOf(frames.get("data"), 8)));
        Files.write(dir.resolve("seed-malformed-frame-then-good"), concat(bytes(0, 0, 0, 0, 5, 42, 0, 0, 0, 1),
                prefixed(frames.get("end"))));
    }

    private static byte[] prefixed(byte[] frame) {
        return ByteBuffer.allocate(4 + frame.length).putInt(frame.length).put(frame).array();
    }

    private static Map<String, byte[]> frames() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("open", FrameCodecs.bytes(new Frame.Open(1, head(false, false))));
        m.put("open-websocket", FrameCodecs.bytes(new Frame.Open(3, head(true, true))));
        m.put("open-tcp", FrameCodecs.bytes(new Frame.Open(5, RequestHead.tcp("ldap", "dc1.corp.example", 636, Duration.ofSeconds(10)))));
        m.put("head", FrameCodecs.bytes(new Frame.Head(1, new ResponseHead(302, List.of(new HeaderField("Location", "/x"),
                new HeaderField("Set-Cookie", "a=1"), new HeaderField("Set-Cookie", "b=ß"))))));
        m.put("whole", FrameCodecs.bytes(new Frame.Whole(1, new ResponseHead(200, List.of(new HeaderField("Content-Type", "text/plain"))),
                "hello".getBytes(StandardCharsets.UTF_8))));
        m.put("data", FrameCodecs.bytes(new Frame.Data(1, new byte[]{1, 2, 3})));
        m.put("end", FrameCodecs.bytes(new Frame.End(1)));
        m.put("reset", FrameCodecs.bytes(new Frame.Reset(1, ResetCode.REFUSED_STREAM, "draining")));
        m.put("window", FrameCodecs.bytes(new Frame.Window(1, 131_072)));
        m.put("ping", FrameCodecs.bytes(new Frame.Ping(42)));
        m.put("pong", FrameCodecs.bytes(new Frame.Pong(42)));
        m.put("goaway", FrameCodecs.bytes(new Frame.GoAway("stream ids running out")));
        m.put("open-identity", FrameCodecs.bytes(new Frame.Open(7, head(false, true).withIdentity(
                "eyJ0eXAiOiJkcmF3YnJpZGdlLXNzbytqd3QiLCJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1MSIsInN0bSI6InQvNyJ9.c2ln"))));
        m.put("config", FrameCodecs.bytes(new Frame.Config("sso-keys", List.of(new HeaderField("tunnel-id", "t-1"),
                new HeaderField("jwks", "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\"}]}")))));
        m.put("trailers", FrameCodecs.bytes(new Frame.Trailers(1, List.of(new HeaderField("grpc-status", "3"),
                new HeaderField("grpc-message", "bad%20name"), new HeaderField("detail-bin", "AAEC")))));
        return m;
    }

    private static RequestHead head(boolean websocket, boolean body) {
        return new RequestHead("app", "GET", "http://intranet:8080/a%2Fb?q=1", List.of(new HeaderField("Host", "intranet"),
                new HeaderField("X-Drawbridge-User", "alice@example.com"), new HeaderField("Cookie", "a=1")),
                Duration.ofSeconds(85), websocket, body);
    }

    private static byte[] payload(byte[] frame) {
        return Arrays.copyOfRange(frame, 5, frame.length);
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
    }

    private static byte[] sequence(byte[]... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] f : frames) {
            out.write(f.length >> 8);
            out.write(f.length);
            out.write(f, 0, f.length);
        }
        return out.toByteArray();
    }

    /** Encoded frames as arrays. */
    private static final class FrameCodecs {
        static byte[] bytes(Frame f) {
            ByteBuffer b = FrameCodec.encode(f);
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        }
    }
}
