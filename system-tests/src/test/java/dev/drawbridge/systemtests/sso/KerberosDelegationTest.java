package dev.drawbridge.systemtests.sso;

import dev.drawbridge.connector.sso.kerberos.Delegation;
import dev.drawbridge.connector.sso.kerberos.DelegationRefused;
import dev.drawbridge.connector.sso.kerberos.Negotiation;
import dev.drawbridge.connector.sso.kerberos.RefusalReason;
import dev.drawbridge.testsupport.identity.KdcRequests;
import dev.drawbridge.testsupport.identity.KerberosRealm;
import dev.drawbridge.testsupport.identity.KerberosRealm.Flag;
import dev.drawbridge.testsupport.time.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.drawbridge.systemtests.sso.KerberosBackend.BACKEND;
import static dev.drawbridge.systemtests.sso.KerberosBackend.CONNECTOR;
import static dev.drawbridge.systemtests.sso.KerberosBackend.OTHER;
import static dev.drawbridge.systemtests.sso.KerberosBackend.refusal;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connector's Kerberos constrained delegation engine against a real MIT KDC (LDAP backend) and a real Apache with
 * mod_auth_gssapi: the backend sees the user the connector acts for, and every refusal the KDC can give comes back as
 * its reason, quickly, each beside a positive twin that differs in the one thing refused (MIT answers several of them
 * with the same error code, so a refusal alone proves little).
 */
class KerberosDelegationTest {
    static KerberosBackend kerberos;
    static KerberosRealm realm;
    @TempDir
    Path state;
    final MutableClock clock = new MutableClock();
    final List<Delegation> delegations = new ArrayList<>();

    @BeforeAll
    static void servers() throws Exception {
        kerberos = KerberosBackend.shared();
        realm = kerberos.realm;
    }

    @AfterEach
    void closeDelegations() {
        delegations.forEach(Delegation::close);
    }

    Delegation delegation() throws Exception {
        return delegation(CONNECTOR, kerberos.connectorKeytab);
    }

    Delegation delegation(String service, byte[] keytab) throws Exception {
        Delegation delegation = KerberosBackend.delegation(kerberos.settings(service, keytab), state, clock);
        delegations.add(delegation);
        return delegation;
    }

    static String backendSees(Delegation delegation, String user) throws Exception {
        return kerberos.backendSees(delegation, user);
    }

    @Test
    void theBackendSeesTheUserTheConnectorActsFor() throws Exception {
        HttpResponse<String> anonymous = kerberos.http.send(HttpRequest.newBuilder(kerberos.apache.uri("/whoami")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().allValues("WWW-Authenticate")).contains("Negotiate");

        Delegation delegation = delegation();
        try (Negotiation negotiation = delegation.negotiate("alice", BACKEND)) {
            assertThat(negotiation.authorization()).startsWith("Negotiate ");
            HttpResponse<String> response = kerberos.whoami(negotiation);
            assertThat(response.statusCode()).as(kerberos.apache.errorLog()).isEqualTo(200);
            assertThat(response.body()).contains("REMOTE_USER=alice@EXAMPLE.TEST", "AUTH_TYPE=Negotiate");
            assertThat(response.headers().firstValue("X-Remote-User")).contains("alice@EXAMPLE.TEST");
            negotiation.verify(response.headers().allValues("WWW-Authenticate"));
        }
        // the user's realm may be written in any case (a UPN's domain), and left out
        assertThat(backendSees(delegation, "carol@example.test")).contains("REMOTE_USER=carol@EXAMPLE.TEST");
        assertThat(backendSees(delegation, "carol")).contains("REMOTE_USER=carol@EXAMPLE.TEST");
    }

    @Test
    void anSpnOutsideTheAllowListIsRefusedUntilItIsAdded() throws Exception {
        Delegation delegation = delegation();
        assertThat(backendSees(delegation, "alice")).contains("REMOTE_USER=alice@EXAMPLE.TEST");

        DelegationRefused refused = refusal(delegation, "alice", OTHER);
        assertThat(refused.reason()).isEqualTo(RefusalReason.NOT_ALLOWED_TO_DELEGATE);
        assertThat(refused.getMessage()).contains(CONNECTOR, OTHER, "msDS-AllowedToDelegateTo", "krbAllowedToDelegateTo")
                .doesNotContain("Exception", "KrbException", "(13)");
        try {
            realm.allowDelegation(CONNECTOR, BACKEND, OTHER);
            delegation.negotiate("alice", OTHER).close();
        } finally {
            realm.allowDelegation(CONNECTOR, BACKEND);
        }
    }

    @Test
    void anSpnTheKdcDoesNotKnowIsNamedSo() throws Exception {
        Delegation delegation = delegation();
        String ghost = "HTTP/ghost.example.test";
        try {
            realm.allowDelegation(CONNECTOR, BACKEND, ghost);
            assertThat(refusal(delegation, "alice", ghost).reason()).isEqualTo(RefusalReason.UNKNOWN_SERVICE);
            realm.addService(ghost);
            delegation.negotiate("alice", ghost).close();
        } finally {
            realm.allowDelegation(CONNECTOR, BACKEND);
        }
    }

    @Test
    void aUserMarkedNotDelegableIsRefusedUntilTheMarkIsRemoved() throws Exception {
        Delegation delegation = delegation();
        DelegationRefused refused = refusal(delegation, "bob", BACKEND);
        assertThat(refused.reason()).isEqualTo(RefusalReason.USER_NOT_DELEGABLE);
        assertThat(refused.getMessage()).contains("bob@EXAMPLE.TEST", "sensitive and cannot be delegated").doesNotContain("FORWARDABLE");
        try {
            realm.addUser("bob");
            assertThat(backendSees(delegation, "bob")).contains("REMOTE_USER=bob@EXAMPLE.TEST");
        } finally {
            realm.addUser("bob", Flag.NOT_DELEGABLE);
        }
    }

    @Test
    void aConnectorAccountNotTrustedForProtocolTransitionGetsTheSameAnswerUntilItIs() throws Exception {
        String rogue = realm.addService("HTTP/rogue.example.test");
        realm.allowDelegation(rogue, BACKEND);
        Delegation delegation = delegation(rogue, realm.keytab(rogue));
        // the KDC gives a non-forwardable ticket, exactly as for a user who may not be delegated: the text names both
        DelegationRefused refused = refusal(delegation, "alice", BACKEND);
        assertThat(refused.reason()).isEqualTo(RefusalReason.USER_NOT_DELEGABLE);
        assertThat(refused.getMessage()).contains("Use any authentication protocol", "+ok_to_auth_as_delegate");
        realm.addService(rogue, Flag.OK_TO_AUTH_AS_DELEGATE);
        assertThat(backendSees(delegation, "alice")).contains("REMOTE_USER=alice@EXAMPLE.TEST");
    }

    @Test
    void anUnknownUserIsRefusedUntilTheUserExists() throws Exception {
        Delegation delegation = delegation();
        String newcomer = "newcomer" + Long.toHexString(System.nanoTime());
        DelegationRefused refused = refusal(delegation, newcomer, BACKEND);
        assertThat(refused.reason()).isEqualTo(RefusalReason.UNKNOWN_USER);
        assertThat(refused.getMessage()).contains(newcomer + "@EXAMPLE.TEST").doesNotContain("UNKNOWN_S4U2SELF_PRINCIPAL");
        realm.addUser(newcomer);
        assertThat(backendSees(delegation, newcomer)).contains("REMOTE_USER=" + newcomer + "@EXAMPLE.TEST");
    }

    @Test
    void namesThatCannotBeUsersOfTheRealmAreRefusedWithoutAskingTheKdc() throws Exception {
        Delegation delegation = delegation();
        backendSees(delegation, "alice"); // signed in: what follows would otherwise be S4U requests
        KdcRequests before = realm.kdcRequests();
        for (String name : List.of(BACKEND, CONNECTOR + "@EXAMPLE.TEST", "krbtgt/EXAMPLE.TEST", "alice@OTHER.TEST", "alice@", "@EXAMPLE.TEST",
                "al\\ice", "alice\n", "alice\u0000", "", " alice", "alice@EXAMPLE.TEST@EXAMPLE.TEST")) {
            assertThat(refusal(delegation, name, BACKEND).reason()).as("'%s'", name).isEqualTo(RefusalReason.INVALID_USER);
        }
        for (String spn : List.of("alice", "HTTP/backend.example.test@OTHER.TEST", "HTTP/a/b", "HTTP/back end", "HTTP/backend\n")) {
            assertThat(refusal(delegation, "alice", spn).reason()).as("'%s'", spn).isEqualTo(RefusalReason.UNKNOWN_SERVICE);
        }
        assertThat(realm.kdcRequests().since(before).total()).isZero();
        assertThat(backendSees(delegation, "alice@EXAMPLE.TEST")).contains("REMOTE_USER=alice@EXAMPLE.TEST");
    }
}
