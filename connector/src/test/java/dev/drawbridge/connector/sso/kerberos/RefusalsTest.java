package dev.drawbridge.connector.sso.kerberos;

import dev.drawbridge.connector.sso.kerberos.Refusals.Step;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import javax.security.auth.login.LoginException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mapping of the JDK's failures to reasons, on the messages the JDK gave against a real MIT KDC (the system tests
 * KerberosDelegationTest and KdcUnreachableTest pin the same cases end to end). The same code means different things
 * at different steps: BADOPTION (13) is "not allowed to delegate" at S4U2Proxy only.
 */
class RefusalsTest {
    /** A GSSException-like chain: outer message, inner KrbException message. */
    static Exception chain(String outer, String inner) {
        return new IOException(outer, new IllegalStateException(inner));
    }

    @Test
    void s4u2proxyRefusals() {
        assertThat(Refusals.map(Step.S4U2PROXY, chain("No valid credentials provided",
                "KDC cannot accommodate requested option (13) - UNSUPPORTED_S4U2PROXY_REQUEST"))).isEqualTo(RefusalReason.NOT_ALLOWED_TO_DELEGATE);
        assertThat(Refusals.map(Step.S4U2PROXY, chain("No valid credentials provided",
                "Server not found in Kerberos database (7) - LOOKING_UP_SERVER"))).isEqualTo(RefusalReason.UNKNOWN_SERVICE);
        assertThat(Refusals.map(Step.S4U2PROXY, chain("x", "Integrity check on decrypted field failed (31)"))).isEqualTo(RefusalReason.FAILED);
    }

    @Test
    void s4u2selfRefusals() {
        assertThat(Refusals.map(Step.S4U2SELF, chain("Attempt to obtain S4U2self credentials failed!",
                "S4U2self ticket must be FORWARDABLE"))).isEqualTo(RefusalReason.USER_NOT_DELEGABLE);
        assertThat(Refusals.map(Step.S4U2SELF, chain("Attempt to obtain S4U2self credentials failed!",
                "Client not found in Kerberos database (6) - UNKNOWN_S4U2SELF_PRINCIPAL"))).isEqualTo(RefusalReason.UNKNOWN_USER);
        // BADOPTION at S4U2Self is not "not allowed to delegate"
        assertThat(Refusals.map(Step.S4U2SELF, chain("x", "KDC cannot accommodate requested option (13)"))).isEqualTo(RefusalReason.FAILED);
    }

    @Test
    void loginRefusals() {
        assertThat(Refusals.map(Step.LOGIN, new LoginException("Checksum failed"))).isEqualTo(RefusalReason.SERVICE_LOGIN_FAILED);
        assertThat(Refusals.map(Step.LOGIN, new LoginException("Client not found in Kerberos database (6)"))).isEqualTo(RefusalReason.SERVICE_LOGIN_FAILED);
        assertThat(Refusals.map(Step.LOGIN, new LoginException("Clock skew too great (37)"))).isEqualTo(RefusalReason.CLOCK_SKEW);
        assertThat(Refusals.map(Step.S4U2SELF, chain("x", "Clock skew too great (37) - PROCESS_TGS"))).isEqualTo(RefusalReason.CLOCK_SKEW);
    }

    @Test
    void anUnreachableKdcIsSoAtEveryStep() {
        for (Step step : new Step[] {Step.LOGIN, Step.S4U2SELF, Step.S4U2PROXY}) {
            assertThat(Refusals.map(step, new LoginException("Connection refused") {
                {
                    initCause(new ConnectException("Connection refused"));
                }
            })).isEqualTo(RefusalReason.KDC_UNREACHABLE);
            assertThat(Refusals.map(step, new IOException("x", new SocketTimeoutException("Read timed out")))).isEqualTo(RefusalReason.KDC_UNREACHABLE);
            assertThat(Refusals.map(step, new LoginException("Receive timed out"))).isEqualTo(RefusalReason.KDC_UNREACHABLE);
            assertThat(Refusals.map(step, new LoginException("Cannot locate KDC"))).isEqualTo(RefusalReason.KDC_UNREACHABLE);
        }
    }

    @Test
    void checkingTheBackendsAnswerFailsAsMutualAuthentication() {
        assertThat(Refusals.map(Step.MUTUAL, chain("Defective token detected", "Checksum failed"))).isEqualTo(RefusalReason.MUTUAL_AUTH_FAILED);
    }

    @Test
    void aCycleOrALongChainEnds() {
        Exception a = new IOException("a");
        Exception b = new IOException("b", a);
        a.initCause(b);
        assertThat(Refusals.map(Step.S4U2PROXY, a)).isEqualTo(RefusalReason.FAILED);
    }

    @Test
    void everyReasonReadsAsASentenceNamingWhatToChange() {
        for (RefusalReason reason : RefusalReason.values()) {
            String text = reason.describe("alice@CORP", "HTTP/app.corp@CORP", "HTTP/connector.corp@CORP");
            assertThat(text).as(reason.name()).doesNotContain("%").isNotBlank();
        }
        assertThat(RefusalReason.INVALID_USER.describe("bad\nname", "HTTP/x", "s")).doesNotContain("\n");
        assertThat(RefusalReason.KDC_UNREACHABLE.retryable()).isTrue();
        assertThat(RefusalReason.NOT_ALLOWED_TO_DELEGATE.retryable()).isFalse();
    }
}
