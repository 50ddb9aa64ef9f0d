package dev.drawbridge.model.tunnel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The TRAILERS frame (type 12): it round-trips (order, duplicates, UTF-8 kept), truncations and oversized counts are
 * {@link MalformedFrameException}s, it ends the sender's half of a stream as END does, and a stream sends it only to a
 * peer that announced {@link TunnelFeatures#TRAILERS} (else END, fields dropped) — both directions.
 */
class TrailersFrameTest {
    private static final List<HeaderField> FIELDS = List.of(new HeaderField("grpc-status", "7"),
            new HeaderField("grpc-message", "denied: ü"), new HeaderField("x-a", "1"), new HeaderField("x-a", "2"));

    private static RequestHead post() {
        return new RequestHead("app", "POST", "http://h/svc/M", List.of(new HeaderField("content-type", "application/grpc")),
                Duration.ofSeconds(30), false, true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"trailers1", "TRAILERS1", " trailers1 ", "sso1, trailers1", "trailers1,sso1", "a, Trailers1 ,b"})
    void theAnnouncementIsReadInAnySpelling(String header) {
        assertThat(TunnelFeatures.announces(header, TunnelFeatures.TRAILERS)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "trailers", "trailers12", "xtrailers1", "trailers 1", "trailers2", "sso1"})
    void nothingElseAnnouncesIt(String header) {
        assertThat(TunnelFeatures.announces(header, TunnelFeatures.TRAILERS)).isFalse();
        assertThat(TunnelFeatures.announces(null, TunnelFeatures.TRAILERS)).isFalse();
    }

    @Test
    void roundTripsExactlyAndHasTypeTwelve() throws Exception {
        ByteBuffer encoded = FrameCodec.encode(new Frame.Trailers(5, FIELDS));
        assertThat(encoded.get(0)).isEqualTo((byte) 12);
        assertThat(FrameCodec.decode(encoded)).isEqualTo(new Frame.Trailers(5, FIELDS));
        assertThat(FrameCodec.decode(FrameCodec.encode(new Frame.Trailers(1, List.of())))).isEqualTo(new Frame.Trailers(1, List.of()));
    }

    @Test
    void malformedTrailersAreRefused() {
        ByteBuffer whole = FrameCodec.encode(new Frame.Trailers(1, FIELDS));
        for (int cut = 5; cut < whole.remaining(); cut++) {
            ByteBuffer truncated = whole.duplicate().limit(cut);
            assertThatThrownBy(() -> FrameCodec.decode(truncated)).isInstanceOf(MalformedFrameException.class);
        }
        assertThatThrownBy(() -> FrameCodec.decode(ByteBuffer.wrap(new byte[]{12, 0, 0, 0, 1, (byte) 0xff, (byte) 0xff})))
                .isInstanceOf(MalformedFrameException.class);
        assertThatThrownBy(() -> FrameCodec.decode(ByteBuffer.wrap(new byte[]{12, 0, 0, 0, 0, 0, 0})))
                .isInstanceOf(MalformedFrameException.class);
    }

    @Test
    void trailersTravelBothWaysWhenBothAnnounced() throws Exception {
        try (MuxPair pair = new MuxPair()) {
            pair.proxy.peerReadsTrailers(true);
            pair.connector.peerReadsTrailers(true);
            TunnelStream proxySide = pair.proxy.open(post());
            proxySide.write(new byte[]{1, 2}, 0, 2);
            assertThat(proxySide.endOutput(List.of(new HeaderField("x-checksum", "abc")))).isTrue();
            TunnelStream connectorSide = pair.accept();
            assertThat(connectorSide.read()).containsExactly(1, 2);
            assertThat(connectorSide.read()).isNull();
            assertThat(connectorSide.trailers()).containsExactly(new HeaderField("x-checksum", "abc"));

            connectorSide.sendHead(new ResponseHead(200, List.of(new HeaderField("content-type", "application/grpc"))));
            connectorSide.write(new byte[]{9}, 0, 1);
            assertThat(connectorSide.endOutput(FIELDS)).isTrue();
            assertThat(proxySide.awaitHead(Duration.ofSeconds(5)).status()).isEqualTo(200);
            assertThat(proxySide.read()).containsExactly(9);
            assertThat(proxySide.read()).isNull();
            assertThat(proxySide.trailers()).isEqualTo(FIELDS);
            MuxPair.await("both sides done", () -> pair.proxy.activeStreams() == 0 && pair.connector.activeStreams() == 0);
            assertThat(pair.transportFailure.get()).isNull();
        }
    }

    @Test
    void aPeerThatDidNotAnnounceGetsEndAndNoTrailersFrame() throws Exception {
        try (MuxPair pair = new MuxPair()) {
            TunnelStream proxySide = pair.proxy.open(post());
            assertThat(proxySide.endOutput(List.of(new HeaderField("x-checksum", "abc")))).isFalse();
            TunnelStream connectorSide = pair.accept();
            assertThat(connectorSide.read()).isNull();
            assertThat(connectorSide.trailers()).isEmpty();
            connectorSide.sendHead(new ResponseHead(200, List.of()));
            assertThat(connectorSide.endOutput(FIELDS)).isFalse();
            proxySide.awaitHead(Duration.ofSeconds(5));
            assertThat(proxySide.read()).isNull();
            assertThat(proxySide.trailers()).isEmpty();
            MuxPair.await("both sides done", () -> pair.proxy.activeStreams() == 0 && pair.connector.activeStreams() == 0);
            assertThat(pair.sentByProxy).noneMatch(f -> f instanceof Frame.Trailers);
            assertThat(pair.sentByConnector).noneMatch(f -> f instanceof Frame.Trailers);
            assertThat(pair.sentByConnector).anyMatch(f -> f instanceof Frame.End);
        }
    }

    @Test
    void dataAfterTrailersIsAProtocolError() throws Exception {
        try (MuxPair pair = new MuxPair()) {
            TunnelStream proxySide = pair.proxy.open(post());
            TunnelStream connectorSide = pair.accept();
            pair.connectorWire.send(new Frame.Head(proxySide.id(), new ResponseHead(200, List.of())));
            pair.connectorWire.send(new Frame.Trailers(proxySide.id(), FIELDS));
            pair.connectorWire.send(new Frame.Data(proxySide.id(), new byte[]{1}));
            MuxPair.await("the proxy side reset", proxySide::isReset);
            assertThat(proxySide.resetCode()).contains(ResetCode.PROTOCOL_ERROR);
            MuxPair.await("the connector told", connectorSide::isReset);
        }
    }
}
