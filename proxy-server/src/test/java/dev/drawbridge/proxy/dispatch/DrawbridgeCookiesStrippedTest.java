package dev.drawbridge.proxy.dispatch;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drawbridge's own cookies (the app session, the sign-in nonces, anything {@code __Host-drawbridge}) never reach an
 * internal app; the app's own cookies pass in order.
 */
class DrawbridgeCookiesStrippedTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
            "drawbridge_app=token; sid=1 | sid=1",
            "sid=1; __Host-drawbridge_app_hr=token; __Host-drawbridge_app_0b5f-id=t2 | sid=1",
            "sid=1; __Host-drawbridge_nonce_0123456789abcdef=secret; theme=dark | sid=1; theme=dark",
            "__Host-drawbridge_nonce_a=1; __Host-drawbridge_nonce_b=2 | NONE",
            "DRAWBRIDGE_APP=x;sid=2 | sid=2",
            "__Host-drawbridge_flow_x=1; __Secure-drawbridge_y=2; drawbridge_apple=3 | drawbridge_apple=3",
            "sid=1 | sid=1"})
    void drawbridgesCookiesAreRemoved(String header, String expected) {
        assertThat(ForwardedRequest.withoutSessionCookie(header)).isEqualTo(Optional.ofNullable(expected));
    }
}
