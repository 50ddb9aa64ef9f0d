package dev.drawbridge.model.tunnel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The single sign-on parts of the frame codec: an OPEN's identity (flag bit 2, after the headers) and the CONFIG frame
 * (type 11, stream 0) round-trip exactly with every other flag; an OPEN without identity encodes byte for byte as
 * before (an older connector reads it); an identity flag without its string, a CONFIG off stream 0, and truncations
 * are {@link MalformedFrameException}s; the multiplexer mints the identity for the stream id it chose and hands a
 * CONFIG to its owner.
 */
class SsoFramesTest {
    private static final List<HeaderField> HEADERS = List.of(new HeaderField("Host", "intranet"), new HeaderField("Cookie", "a=1"));

    private static Frame roundTrip(Frame f) throws MalformedFrameException {
        return FrameCodec.decode(FrameCodec.encode(f));
    }

    private static byte[] bytes(Frame f) {
        ByteBuffer b = FrameCodec.encode(f);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @ParameterizedTest(name = "websocket={0} body={1}")
    @CsvSource({"false,false", "true,false", "false,true", "true,true"})
    void identityRoundTripsWithEveryFlag(boolean websocket, boolean body) throws Exception {
        RequestHead head = new RequestHead("app", "GET", "http://h/ä", HEADERS, Duration.ofSeconds(30), websocket, body)
                .withIdentity("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln-ü");
        Frame.Open decoded = (Frame.Open) roundTrip(new Frame.Open(9, head));
        assertThat(decoded.head()).isEqualTo(head);
        assertThat(decoded.head().identity()).contains("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln-ü");
        assertThat(decoded.head().websocket()).isEqualTo(websocket);
        assertThat(decoded.head().body()).isEqualTo(body);
    }

    @ParameterizedTest(name = "identity={0} websocket={1}")
    @CsvSource({"false,false", "true,false", "false,true", "true,true"})
    void ssoInstructionRoundTripsWithAndWithoutIdentity(boolean identity, boolean websocket) throws Exception {
        RequestHead head = new RequestHead("app", "GET", "http://h/", HEADERS, Duration.ofSeconds(30), websocket, true)
                .withSso("{\"method\":\"HEADERS\",\"headers\":[{\"name\":\"X-Ü\"}]}");
        if (identity) {
            head = head.withIdentity("a.b.c");
        }
        Frame.Open decoded = (Frame.Open) roundTrip(new Frame.Open(3, head));
        assertThat(decoded.head()).isEqualTo(head);
        assertThat(decoded.head().sso()).contains("{\"method\":\"HEADERS\",\"headers\":[{\"name\":\"X-Ü\"}]}");
        assertThat(decoded.head().identity().isPresent()).isEqualTo(identity);
        assertThat(decoded.head().toString()).doesNotContain("HEADERS").contains("sso");
    }

    @Test
    void ssoFlagWithoutItsStringIsMalformedAndAnOversizeInstructionIsRefused() {
        RequestHead head = new RequestHead("a", "GET", "http://h/", List.of(), Duration.ZERO, false, false);
        byte[] encoded = bytes(new Frame.Open(1, head));
        int flagsAt = 1 + 4 + (4 + 1) + (4 + 3) + (4 + 9) + 4;
        encoded[flagsAt] = 8;
        assertThatThrownBy(() -> FrameCodec.decode(ByteBuffer.wrap(encoded))).isInstanceOf(MalformedFrameException.class);
        assertThatThrownBy(() -> head.withSso("x".repeat(RequestHead.MAX_SSO + 1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> head.withSso("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void openWithoutIdentityIsTheOldLayoutByteForByte() throws Exception {
        RequestHead head = new RequestHead("app", "GET", "http://h/", HEADERS, Duration.ofSeconds(30), false, true);
        byte[] encoded = bytes(new Frame.Open(1, head));
        // The flags byte comes after type, stream, three strings and the timeout; bit 2 stays clear.
        int flagsAt = 1 + 4 + (4 + 3) + (4 + 3) + (4 + 9) + 4;
        assertThat(encoded[flagsAt]).isEqualTo((byte) 2);
        byte[] withIdentity = bytes(new Frame.Open(1, head.withIdentity("t")));
        assertThat(withIdentity[flagsAt]).isEqualTo((byte) 6);
        // The identity is appended: everything before it is the old frame, except the flag.
        assertThat(Arrays.copyOfRange(withIdentity, flagsAt + 1, encoded.length))
                .isEqualTo(Arrays.copyOfRange(encoded, flagsAt + 1, encoded.length));
        assertThat(withIdentity).hasSize(encoded.length + 4 + 1);
    }

    @Test
    void identityFlagWithoutItsStringIsMalformed() {
        byte[] encoded = bytes(new Frame.Open(1, new RequestHead("a", "GET", "http://h/", List.of(), Duration.ZERO, false, false)));
        int flagsAt = 1 + 4 + (4 + 1) + (4 + 3) + (4 + 9) + 4;
        encoded[flagsAt] = 4;
        assertThatThrownBy(() -> FrameCodec.decode(ByteBuffer.wrap(encoded))).isInstanceOf(MalformedFrameException.class);
    }

    @Test
    void emptyOrHugeIdentityIsRefused() {
        RequestHead head = new RequestHead("a", "GET", "http://h/", List.of(), Duration.ZERO, false, false);
        assertThatThrownBy(() -> head.withIdentity("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> head.withIdentity("x".repeat(RequestHead.MAX_IDENTITY + 1))).isInstanceOf(IllegalArgumentException.class);
        // On the wire, an empty identity string is a malformed frame, not an absent identity.
        byte[] encoded = bytes(new Frame.Open(1, head.withIdentity("x")));
        byte[] empty = Arrays.copyOf(encoded, encoded.length - 1);
        empty[empty.length - 1] = 0;
        assertThatThrownBy(() -> FrameCodec.decode(ByteBuffer.wrap(empty))).isInstanceOf(MalformedFrameException.class);
    }

    @Test
    void toStringNeverShowsTheIdentityOrHeaderValues() {
        RequestHead head = new RequestHead("a", "GET", "http://h/", HEADERS, Duration.ZERO, false, false).withIdentity("secret.jws.sig");
        assertThat(head.toString()).doesNotContain("secret").doesNotContain("a=1").contains("identity");
    }

    @Test
    void configRoundTripsOnStreamZero() throws Exception {
        Frame.Config config = new Frame.Config("sso-keys", List.of(new HeaderField("tunnel-id", "t-1"),
                new HeaderField("jwks", "{\"keys\":[]}"), new HeaderField("jwks", "dup ü")));
        Frame decoded = roundTrip(config);
        assertThat(decoded).isEqualTo(config);
        assertThat(decoded.streamId()).isZero();
        assertThat(((Frame.Config) decoded).entry("jwks")).contains("{\"keys\":[]}");
        assertThat(roundTrip(new Frame.Config("k", List.of()))).isEqualTo(new Frame.Config("k", List.of()));
    }

    @Test
    void configOffStreamZeroEmptyKindOrTruncatedIsMalformed() {
        byte[] encoded = bytes(new Frame.Config("sso-keys", List.of(new HeaderField("a", "b"))));
        byte[] onStream = encoded.clone();
        onStream[4] = 1;
        assertThatThrownBy(() -> FrameCodec.decode(ByteBuffer.wrap(onStream))).isInstanceOf(MalformedFrameException.class);
        for (int len = 1; len < encoded.length; len++) {
            byte[] cut = Arrays.copyOf(encoded, len);
            assertThatThrownBy(() -> FrameCodec.decode(ByteBuffer.wrap(cut))).isInstanceOf(MalformedFrameException.class);
        }
        byte[] emptyKind = bytes(new Frame.Config("x", List.of()));
        byte[] noKind = new byte[]{11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThat(emptyKind[0]).isEqualTo((byte) 11);
        assertThatThrownBy(() -> FrameCodec.decode(ByteBuffer.wrap(noKind))).isInstanceOf(MalformedFrameException.class);
    }

    @Test
    void multiplexerMintsTheIdentityForTheStreamIdItChoseAndDeliversConfig() throws Exception {
        List<Frame> sent = new CopyOnWriteArrayList<>();
        Multiplexer proxy = new Multiplexer(sent::add, null, Runnable::run, Multiplexer.LAST_STREAM_ID, Multiplexer.Lifecycle.NONE);
        RequestHead head = new RequestHead("a", "GET", "http://h/", List.of(), Duration.ofSeconds(1), false, false);
        TunnelStream first = proxy.open(head, id -> "token-for-" + id);
        TunnelStream second = proxy.open(head, id -> "token-for-" + id);
        TunnelStream plain = proxy.open(head);
        assertThat(sent).containsExactly(new Frame.Open(first.id(), head.withIdentity("token-for-" + first.id())),
                new Frame.Open(second.id(), head.withIdentity("token-for-" + second.id())), new Frame.Open(plain.id(), head));
        // The stream keeps the head as given: the token is not kept beyond the frame.
        assertThat(first.request().identity()).isEmpty();

        List<Frame.Config> received = new ArrayList<>();
        Multiplexer connector = new Multiplexer(f -> { }, s -> { }, Runnable::run, Multiplexer.LAST_STREAM_ID, new Multiplexer.Lifecycle() {
            @Override
            public void config(Frame.Config config) {
                received.add(config);
            }
        });
        Frame.Config config = new Frame.Config("sso-keys", List.of(new HeaderField("tunnel-id", "t")));
        connector.receive(config);
        assertThat(received).containsExactly(config);
        assertThat(Optional.of(received.getFirst()).map(Frame.Config::kind)).contains("sso-keys");
    }

    @Test
    void anIdentitySourceAnsweringNullSendsTheHeadWithoutIdentity() throws Exception {
        List<Frame> sent = new CopyOnWriteArrayList<>();
        Multiplexer proxy = new Multiplexer(sent::add, null, Runnable::run, Multiplexer.LAST_STREAM_ID, Multiplexer.Lifecycle.NONE);
        RequestHead head = new RequestHead("a", "GET", "http://h/", List.of(), Duration.ofSeconds(1), false, false);
        TunnelStream s = proxy.open(head, id -> null);
        assertThat(sent).containsExactly(new Frame.Open(s.id(), head));
    }

    @Test
    void aFailingIdentitySourceFailsTheOpenAndLeavesNoStream() {
        Multiplexer proxy = new Multiplexer(f -> { }, null, Runnable::run, Multiplexer.LAST_STREAM_ID, Multiplexer.Lifecycle.NONE);
        RequestHead head = new RequestHead("a", "GET", "http://h/", List.of(), Duration.ofSeconds(1), false, false);
        assertThatThrownBy(() -> proxy.open(head, id -> {
            throw new IllegalStateException("cannot sign");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(proxy.activeStreams()).isZero();
    }

    /** Keeps the compiler honest about the checked exception of the sender lambda. */
    @SuppressWarnings("unused")
    private static void send(Multiplexer m) throws IOException {
        m.config(new Frame.Config("k", List.of()));
    }
}
