package dev.drawbridge.proxy.dispatch;

import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.model.tunnel.ResponseHead;
import dev.drawbridge.proxy.apps.PublishedApp;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which trailers cross the proxy: a client's request trailers lose, in every spelling (case, {@code _} for {@code -}),
 * every field a header of that name could not carry to the app (identity, address, routing, credentials, the app's
 * single sign-on headers, hop-by-hop); an app's response trailers lose hop-by-hop fields and Set-Cookie; a gRPC answer
 * that ends without any status gets {@code grpc-status: 13} rather than passing for a success.
 */
class TrailerFieldsTest {
    private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");
    private static final PublishedApp SSO = new PublishedApp("sso-id", "sso", URI.create("https://sso.apps.example.com/"),
            "sso.apps.example.com", "/", URI.create("http://intranet:8081/"), "g", BackendTimeout.DEFAULT,
            true, PreAuthentication.DIRECTORY, T, T).withSso(SsoSettings.headers(List.of(HeaderRule.of("X-User-Name", HeaderSource.UPN))));

    @ParameterizedTest
    @ValueSource(strings = {"X-Drawbridge-User", "x_drawbridge_user", "X-FORWARDED-FOR", "x_forwarded_for", "X-Real-IP",
        "Forwarded", "X-Remote-User", "Remote-User", "X-Auth-Request-Email", "Authorization", "Cookie", "Host", "X-Request-Id",
        "x_request_id", "X-User-Name", "x_user_name", "Connection", "TE", "Transfer-Encoding", "Content-Length", "Proxy-Authorization",
        "Upgrade", "Keep-Alive", "Trailer", "Content-Type", "Expect"})
    void fieldsAHeaderCouldNotCarryAreDropped(String name) {
        HttpFields trailers = HttpFields.build().add(name, "mallory").add("x-checksum", "abc");
        assertThat(TrailerFields.forApp(SSO, trailers)).containsExactly(new HeaderField("x-checksum", "abc"));
    }

    @Test
    void otherFieldsPassInOrder() {
        HttpFields trailers = HttpFields.build().add("x-a", "1").add("grpc-foo", "2").add("x-a", "3");
        assertThat(TrailerFields.forApp(SSO, trailers)).containsExactly(new HeaderField("x-a", "1"), new HeaderField("grpc-foo", "2"),
                new HeaderField("x-a", "3"));
        assertThat(TrailerFields.forApp(SSO, null)).isEmpty();
    }

    @Test
    void responseTrailersLoseHopByHopAndCookies() {
        ResponseHead head = new ResponseHead(200, List.of(new HeaderField("content-type", "application/grpc")));
        HttpFields out = TrailerFields.forClient(head, List.of(new HeaderField("grpc-status", "0"), new HeaderField("Set-Cookie", "a=1"),
                new HeaderField("Connection", "close"), new HeaderField("x-b", "2")));
        assertThat(out).isNotNull();
        assertThat(out.getFieldNamesCollection()).containsExactlyInAnyOrder("grpc-status", "x-b");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/grpc", "application/grpc+proto", "Application/GRPC+json; charset=utf-8"})
    void aGrpcAnswerWithoutStatusBecomesInternal(String type) {
        ResponseHead head = new ResponseHead(200, List.of(new HeaderField("Content-Type", type)));
        HttpFields out = TrailerFields.forClient(head, List.of());
        assertThat(out).isNotNull();
        assertThat(out.get("grpc-status")).isEqualTo("13");
        assertThat(out.get("grpc-message")).isEqualTo(TrailerFields.LOST);
    }

    @Test
    void aTrailersOnlyGrpcAnswerOrAnOrdinaryOneGetsNoInventedStatus() {
        ResponseHead trailersOnly = new ResponseHead(200, List.of(new HeaderField("content-type", "application/grpc"),
                new HeaderField("grpc-status", "5")));
        assertThat(TrailerFields.forClient(trailersOnly, List.of())).isNull();
        ResponseHead grpcWeb = new ResponseHead(200, List.of(new HeaderField("content-type", "application/grpc-web+proto")));
        assertThat(TrailerFields.forClient(grpcWeb, List.of())).isNull();
        assertThat(TrailerFields.forClient(new ResponseHead(200, List.of()), List.of())).isNull();
    }
}
