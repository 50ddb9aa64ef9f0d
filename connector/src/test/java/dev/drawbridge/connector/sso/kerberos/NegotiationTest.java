package dev.drawbridge.connector.sso.kerberos;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading the backend's Negotiate token out of its WWW-Authenticate values (users of the realm: shared-model's DelegatedLoginTest). */
class NegotiationTest {
    @Test
    void theNegotiateTokenIsFoundAmongChallenges() {
        assertThat(Negotiation.replyToken(List.of("Negotiate AQID"))).hasValueSatisfying(t -> assertThat(t).containsExactly(1, 2, 3));
        assertThat(Negotiation.replyToken(List.of("Basic realm=\"x\"", "negotiate AQID"))).isPresent();
        assertThat(Negotiation.replyToken(List.of("Basic realm=x, Negotiate AQID"))).isPresent();
        assertThat(Negotiation.replyToken(List.of("NEGOTIATE   AQID  "))).isPresent();
    }

    @Test
    void noUsableTokenIsNone() {
        for (List<String> values : List.of(List.<String>of(), List.of("Negotiate"), List.of("Negotiate "), List.of("Negotiated AQID"),
                List.of("Basic realm=x"), List.of("Negotiate !!!"), List.of("NTLM AQID"), List.of("Negotiate " + "A".repeat(70_000)))) {
            assertThat(Negotiation.replyToken(values)).as(values.toString().substring(0, Math.min(40, values.toString().length()))).isEmpty();
        }
        assertThat(Negotiation.replyToken(null)).isEmpty();
    }
}
