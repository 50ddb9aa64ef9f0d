package dev.drawbridge.systemtests.sso;

import dev.drawbridge.connector.sso.kerberos.Delegation;
import dev.drawbridge.connector.sso.kerberos.DelegationRefused;
import dev.drawbridge.connector.sso.kerberos.Negotiation;
import dev.drawbridge.connector.sso.kerberos.RefusalReason;
import dev.drawbridge.testsupport.time.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static dev.drawbridge.systemtests.sso.KerberosBackend.BACKEND;
import static dev.drawbridge.systemtests.sso.KerberosBackend.CONNECTOR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The backend's answer counts only if it proves it holds the SPN's key: its {@code WWW-Authenticate: Negotiate}
 * token must complete the connector's context. A genuine token does; a missing, malformed, altered or borrowed one
 * (the genuine answer to another request) is refused.
 */
class KerberosMutualAuthTest {
    static KerberosBackend kerberos;
    @TempDir
    static Path state;
    static Delegation delegation;

    @BeforeAll
    static void servers() throws Exception {
        kerberos = KerberosBackend.shared();
        delegation = KerberosBackend.delegation(kerberos.settings(CONNECTOR, kerberos.connectorKeytab), state, new MutableClock());
    }

    @AfterAll
    static void close() {
        if (delegation != null) {
            delegation.close();
        }
    }

    /** The genuine reply token of the backend to a fresh request of alice's. */
    static String genuineReply() throws Exception {
        try (Negotiation negotiation = delegation.negotiate("alice", BACKEND)) {
            HttpResponse<String> response = kerberos.whoami(negotiation);
            assertThat(response.statusCode()).isEqualTo(200);
            return response.headers().firstValue("WWW-Authenticate").orElseThrow();
        }
    }

    /** Whether a new negotiation, sent to the backend, accepts {@code reply} as the backend's answer. */
    static RefusalReason verifyWith(List<String> reply) throws Exception {
        try (Negotiation negotiation = delegation.negotiate("alice", BACKEND)) {
            assertThat(kerberos.whoami(negotiation).statusCode()).isEqualTo(200);
            DelegationRefused refused = catchThrowableOfType(DelegationRefused.class, () -> negotiation.verify(reply));
            return refused == null ? null : refused.reason();
        }
    }

    @Test
    void theBackendsOwnAnswerVerifies() throws Exception {
        try (Negotiation negotiation = delegation.negotiate("alice", BACKEND)) {
            HttpResponse<String> response = kerberos.whoami(negotiation);
            negotiation.verify(response.headers().allValues("WWW-Authenticate"));
        }
    }

    @Test
    void anAnswerWithoutProofIsRefused() throws Exception {
        assertThat(verifyWith(List.of())).isEqualTo(RefusalReason.MUTUAL_AUTH_FAILED);
        assertThat(verifyWith(List.of("Negotiate"))).isEqualTo(RefusalReason.MUTUAL_AUTH_FAILED);
        assertThat(verifyWith(List.of("Basic realm=\"backend\""))).isEqualTo(RefusalReason.MUTUAL_AUTH_FAILED);
        assertThat(verifyWith(List.of("Negotiate not base64!"))).isEqualTo(RefusalReason.MUTUAL_AUTH_FAILED);
        assertThat(verifyWith(List.of("Negotiate " + Base64.getEncoder().encodeToString("forged".getBytes())))).isEqualTo(RefusalReason.MUTUAL_AUTH_FAILED);
    }

    @Test
    void anAlteredOrBorrowedAnswerIsRefused() throws Exception {
        String genuine = genuineReply();
        assertThat(verifyWith(List.of(genuine))).as("the genuine answer to another request").isEqualTo(RefusalReason.MUTUAL_AUTH_FAILED);
        byte[] token = Base64.getDecoder().decode(genuine.substring("Negotiate ".length()));
        token[token.length - 5] ^= 1;
        assertThat(verifyWith(List.of("Negotiate " + Base64.getEncoder().encodeToString(token)))).isEqualTo(RefusalReason.MUTUAL_AUTH_FAILED);
    }
}
