package dev.drawbridge.connector.sso;

import dev.drawbridge.model.sso.SsoIdentity;
import dev.drawbridge.model.sso.SsoInstruction.Credential;
import dev.drawbridge.model.tunnel.Frame;
import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.model.tunnel.Multiplexer;
import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.ResetCode;
import dev.drawbridge.model.tunnel.TunnelStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Password vaulting for HTTP Basic on the connector: every spelling of a client-sent {@code Authorization} (any case,
 * repeated) is replaced by exactly one {@code Authorization: Basic} of the stored credential in UTF-8 (RFC 7617's own
 * examples), other headers stay in order; a stream without a credential or with one that cannot be sent is refused and
 * the reason never holds the password; through the gate, the instruction's JSON as the proxy writes it works, and a
 * stream without a verified user is refused before anything is sent.
 */
class BasicSsoTest {
    private static final SsoIdentity ALICE = new SsoIdentity("u1", "alice@corp.example", "Alice", Optional.empty(), Optional.empty(),
            Optional.empty(), List.of(), Map.of());

    private static RequestHead head(HeaderField... headers) {
        return new RequestHead("app", "GET", "http://h/", List.of(headers), Duration.ofSeconds(5), false, false);
    }

    private static RequestHead sent(SsoStep.Outcome out) {
        assertThat(out).isInstanceOf(SsoStep.Outcome.Proceed.class);
        return ((SsoStep.Outcome.Proceed) out).head();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Authorization", "authorization", "AUTHORIZATION", "aUtHoRiZaTiOn", "AuthoriZation"})
    void everySpellingOfAClientAuthorizationIsReplaced(String spelling) {
        RequestHead in = head(new HeaderField("Accept", "*/*"), new HeaderField(spelling, "Basic bWFsbG9yeTpndWVzcw=="),
                new HeaderField("Authorization", "Bearer stolen"), new HeaderField(spelling, "Negotiate abc"),
                new HeaderField("X-Authorization", "kept: another header"), new HeaderField("Cookie", "a=1"));
        RequestHead out = sent(BasicSso.apply(in, new Credential("Aladdin", "open sesame")));
        assertThat(out.headers()).containsExactly(new HeaderField("Accept", "*/*"), new HeaderField("X-Authorization", "kept: another header"),
                new HeaderField("Cookie", "a=1"), new HeaderField("Authorization", "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="));
        assertThat(out.upstreamUri()).isEqualTo(in.upstreamUri());
        assertThat(out.identity()).isEqualTo(in.identity());
    }

    @Test
    void theCredentialIsSentInUtf8AsRfc7617Says() {
        // RFC 7617 section 2.1: user-id "test", password "123£" in UTF-8.
        assertThat(BasicSso.value(new Credential("test", "123\u00a3"))).isEqualTo("Basic dGVzdDoxMjPCow==");
        String value = BasicSso.value(new Credential("j\u00fcrgen", "p\u00e4ss:w\u00f6rd \ud83d\udd11"));
        assertThat(new String(Base64.getDecoder().decode(value.substring("Basic ".length())), StandardCharsets.UTF_8))
                .isEqualTo("j\u00fcrgen:p\u00e4ss:w\u00f6rd \ud83d\udd11");
    }

    @Test
    void withoutACredentialOrWithOneThatCannotBeSentTheStreamIsRefused() {
        assertThat(BasicSso.apply(head(), null)).isEqualTo(new SsoStep.Outcome.Refuse("no stored user name and password came with the request"));
        for (Credential bad : List.of(new Credential("al:ice", "secret-1"), new Credential("alice", "secret-2\r\nX-Evil: 1"),
                new Credential("", "secret-3"), new Credential("alice", ""), new Credential("alice", "secret-4\u0000"))) {
            SsoStep.Outcome out = BasicSso.apply(head(), bad);
            assertThat(out).as(bad.toString()).isInstanceOf(SsoStep.Outcome.Refuse.class);
            assertThat(((SsoStep.Outcome.Refuse) out).reason()).doesNotContain("secret");
        }
    }

    @Test
    void throughTheGateTheProxysInstructionSignsAVerifiedUserInAndNobodyElse() {
        List<Frame> frames = new CopyOnWriteArrayList<>();
        List<TunnelStream> opened = new CopyOnWriteArrayList<>();
        Multiplexer connector = new Multiplexer(frames::add, opened::add, Runnable::run, Multiplexer.LAST_STREAM_ID, Multiplexer.Lifecycle.NONE);
        // As the proxy's JSON mapper writes it: every component, nulls included.
        String instruction = "{\"settings\":{\"method\":\"BASIC\",\"headers\":[],\"kerberos\":null,\"saml\":null,"
                + "\"basic\":{\"credentials\":\"USER\"}},\"credential\":{\"username\":\"alice\",\"password\":\"s3cret pass\"}}";
        RequestHead head = head(new HeaderField("authorization", "Basic bWFsbG9yeTpndWVzcw==")).withSso(instruction);
        SsoGate gate = new SsoGate();

        connector.receive(new Frame.Open(1, head));
        Optional<SsoStep.Outcome.Proceed> admitted = gate.admit(opened.getLast(), new Verification.Verified(ALICE));
        assertThat(admitted).isPresent();
        assertThat(admitted.get().head().headers()).containsExactly(new HeaderField("Authorization", "Basic YWxpY2U6czNjcmV0IHBhc3M="));

        connector.receive(new Frame.Open(3, head));
        assertThat(gate.admit(opened.getLast(), Verification.ABSENT)).isEmpty();
        String noCredential = "{\"settings\":{\"method\":\"BASIC\",\"basic\":{\"credentials\":\"SHARED\"}}}";
        connector.receive(new Frame.Open(5, head(new HeaderField("Authorization", "Basic x")).withSso(noCredential)));
        assertThat(gate.admit(opened.getLast(), new Verification.Verified(ALICE))).isEmpty();
        assertThat(frames).containsExactly(
                new Frame.Reset(3, ResetCode.SSO_REFUSED, "single sign-on refused: no identity came with the request"),
                new Frame.Reset(5, ResetCode.SSO_REFUSED, "single sign-on refused: no stored user name and password came with the request"));
    }

    @Test
    void aCredentialWithAnotherMethodIsNeverSent() {
        String instruction = "{\"settings\":{\"method\":\"HEADERS\",\"headers\":[{\"name\":\"X-User\",\"source\":\"UPN\"}]},"
                + "\"credential\":{\"username\":\"alice\",\"password\":\"pw\"}}";
        RequestHead out = sent(SsoStep.WITHOUT_KERBEROS.apply(head(new HeaderField("Authorization", "Bearer t")).withSso(instruction),
                new Verification.Verified(ALICE)));
        assertThat(out.headers()).containsExactly(new HeaderField("Authorization", "Bearer t"), new HeaderField("X-User", "alice@corp.example"));
    }
}
