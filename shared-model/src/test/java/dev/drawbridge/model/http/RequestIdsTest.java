package dev.drawbridge.model.http;

import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.model.tunnel.RequestHead;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Request ids: generated ones are 32 hex digits and distinct; only ids that cannot break a log line or JSON are taken. */
class RequestIdsTest {
    @Test
    void generatedIdsAreWellFormedHexAndDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = RequestIds.generate();
            assertThat(id).matches("[0-9a-f]{32}");
            assertThat(RequestIds.isWellFormed(id)).isTrue();
            seen.add(id);
        }
        assertThat(seen).hasSize(10_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b", "Root=1-67891233-abcdef012345678912345678", "abc.def_ghi:jkl",
            "dGVzdA==", "a/b+c"})
    void loadBalancerIdsAreTaken(String id) {
        assertThat(RequestIds.isWellFormed(id)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "a b", "a\"b", "a\\b", "a\nb", "a\rb", "a\tb", "a\u0000b", "a;b", "a,b", "<script>", "a{b}",
            "caf\u00e9", "a\u2028b", "%0a"})
    void idsThatCouldBreakALogLineOrJsonAreRefused(String id) {
        assertThat(RequestIds.isWellFormed(id)).isFalse();
    }

    @Test
    void theIdOfAHeadIsItsFirstRequestIdHeaderWhenWellFormed() {
        assertThat(RequestIds.of(head(List.of(new HeaderField("Accept", "*/*"), new HeaderField("x-request-id", "abc-1"))))).hasValue("abc-1");
        assertThat(RequestIds.of(head(List.of(new HeaderField("X-Request-Id", "a b"))))).isEmpty();
        assertThat(RequestIds.of(head(List.of(new HeaderField("X_Request_Id", "abc"))))).isEmpty();
        assertThat(RequestIds.of(head(List.of()))).isEmpty();
    }

    private static RequestHead head(List<HeaderField> headers) {
        return new RequestHead("app", "GET", "http://intranet/", headers, Duration.ofSeconds(5), false, false);
    }

    @Test
    void overlongIdsAndNullAreRefused() {
        assertThat(RequestIds.isWellFormed("a".repeat(RequestIds.MAX_LENGTH))).isTrue();
        assertThat(RequestIds.isWellFormed("a".repeat(RequestIds.MAX_LENGTH + 1))).isFalse();
        assertThat(RequestIds.isWellFormed(null)).isFalse();
    }
}
