package dev.drawbridge.testsupport.sample;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The home page shows an {@code Authorization} header's registered scheme, never its credentials or an unknown word. */
class SignInFactsTest {
    @Test
    void aRegisteredSchemeInAnyCaseIsShownAndNothingAfterIt() {
        for (String scheme : List.of("Basic", "Bearer", "Digest", "DPoP", "Negotiate", "NTLM", "SCRAM-SHA-256", "AWS4-HMAC-SHA256")) {
            for (String spelling : List.of(scheme, scheme.toLowerCase(Locale.ROOT), scheme.toUpperCase(Locale.ROOT))) {
                assertThat(SignInFacts.scheme(spelling + " c2VjcmV0")).isEqualTo("scheme " + spelling + " (credentials not shown)");
                assertThat(SignInFacts.scheme("  " + spelling)).isEqualTo("scheme " + spelling + " (credentials not shown)");
            }
        }
    }

    @Test
    void anythingElseIsOnlyPresent() {
        for (String value : List.of("", " ", "ghp_secret0123", "secret token", "Negotiate:secret", "Basic\tc2VjcmV0", "Négociate x",
                "<script>alert(1)</script>")) {
            assertThat(SignInFacts.scheme(value)).as(value).isEqualTo("present (credentials not shown)");
        }
    }
}
