package dev.drawbridge.proxy.dispatch;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reason a revoked WebSocket's close frame carries: says why, and fits the 123 bytes RFC 6455 allows a close
 * reason even when a policy's name is long or not ASCII (a longer one would make the close itself fail).
 */
class RevokedCloseReasonTest {
    @Test
    void aShortReasonIsSentWholeAndALongOneIsCutToFit() {
        assertThat(WebSocketRelay.ClientEndpoint.closeReason("the user was disabled"))
                .isEqualTo("access revoked: the user was disabled; sign in again");
        String longPolicy = "conditional access now blocks it (" + "Zürich-Büro nur während der Arbeitszeit ".repeat(10) + ": BLOCK)";
        String reason = WebSocketRelay.ClientEndpoint.closeReason(longPolicy);
        assertThat(reason.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
        assertThat(reason).startsWith("access revoked: conditional access now blocks it (Zürich-Büro");
    }
}
