package dev.drawbridge.systemtests.sso;

import dev.drawbridge.connector.sso.kerberos.Delegation;
import dev.drawbridge.connector.sso.kerberos.DelegationRefused;
import dev.drawbridge.connector.sso.kerberos.KerberosLogin;
import dev.drawbridge.connector.sso.kerberos.KerberosSettings;
import dev.drawbridge.connector.sso.kerberos.Negotiation;
import dev.drawbridge.testsupport.identity.KerberosRealm;
import dev.drawbridge.testsupport.identity.KerberosRealm.Flag;
import dev.drawbridge.testsupport.sample.ApacheBackend;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The Kerberos world of the SSO system tests, one per JVM like the realm it lives in: the shared
 * {@link KerberosRealm} with the connector's account ({@value #CONNECTOR}, trusted for protocol transition, allowed to
 * delegate to {@value #BACKEND} only), users alice, carol and bob (not delegable), and an Apache with
 * mod_auth_gssapi as {@value #BACKEND}. Plus the steps the tests repeat.
 */
final class KerberosBackend {
    static final String CONNECTOR = "HTTP/connector.example.test";
    static final String BACKEND = "HTTP/backend.example.test";
    static final String OTHER = "HTTP/other.example.test";
    /** Refusals the KDC gives come back within this (a KDC answers on loopback in milliseconds). */
    static final Duration QUICK = Duration.ofSeconds(2);
    private static KerberosBackend shared;

    final KerberosRealm realm;
    final ApacheBackend apache;
    final byte[] connectorKeytab;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private KerberosBackend(KerberosRealm realm, ApacheBackend apache, byte[] connectorKeytab) {
        this.realm = realm;
        this.apache = apache;
        this.connectorKeytab = connectorKeytab;
    }

    /** Started on first use (skips the calling test when the servers' packages are missing), stopped with the JVM. */
    static synchronized KerberosBackend shared() throws Exception {
        KerberosRealm realm = KerberosRealm.shared();
        if (shared == null) {
            realm.addService(CONNECTOR, Flag.OK_TO_AUTH_AS_DELEGATE);
            String backend = realm.addService(BACKEND);
            realm.addService(OTHER);
            realm.allowDelegation(CONNECTOR, BACKEND);
            realm.addUser("alice");
            realm.addUser("carol");
            realm.addUser("bob", Flag.NOT_DELEGABLE);
            ApacheBackend apache = ApacheBackend.start("backend.example.test", new ApacheBackend.Gssapi(realm.keytab(backend)));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    apache.close();
                } catch (InterruptedException ignored) {
                    // the JVM is going away; pdeathsig ends Apache anyway
                }
            }));
            shared = new KerberosBackend(realm, apache, realm.keytab(CONNECTOR));
        }
        return shared;
    }

    /** The connector's settings for the realm, as its server would send them. */
    KerberosSettings settings(String service, byte[] keytab) {
        return new KerberosSettings(realm.realm(), List.of(KerberosSettings.Kdc.parse(realm.kdcAddress())), service, keytab);
    }

    /** A connector's delegation engine as {@code service}, its state in a new directory under {@code state}. */
    static Delegation delegation(KerberosSettings settings, Path state, Clock clock) throws Exception {
        Path dir = Files.createTempDirectory(state, "connector");
        return new Delegation(new KerberosLogin(settings, dir, clock, Delegation.EXPIRY_MARGIN), clock);
    }

    /** GET /whoami with the negotiation's Authorization header. */
    HttpResponse<String> whoami(Negotiation negotiation) throws Exception {
        return http.send(HttpRequest.newBuilder(apache.uri("/whoami")).header("Authorization", negotiation.authorization()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Delegates {@code user} to the backend; returns what the backend saw, after checking its mutual authentication. */
    String backendSees(Delegation delegation, String user) throws Exception {
        try (Negotiation negotiation = delegation.negotiate(user, BACKEND)) {
            HttpResponse<String> response = whoami(negotiation);
            assertThat(response.statusCode()).as(apache.errorLog()).isEqualTo(200);
            negotiation.verify(response.headers().allValues("WWW-Authenticate"));
            return response.body();
        }
    }

    /** The refusal of delegating {@code user} to {@code spn}, asserted to come within {@code within}. */
    static DelegationRefused refusal(Delegation delegation, String user, String spn, Duration within) {
        long start = System.nanoTime();
        DelegationRefused refused = catchThrowableOfType(DelegationRefused.class, () -> delegation.negotiate(user, spn).close());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time to refuse " + user + " → " + spn).isLessThan(within);
        assertThat(refused).as("refusal of " + user + " → " + spn).isNotNull();
        return refused;
    }

    static DelegationRefused refusal(Delegation delegation, String user, String spn) {
        return refusal(delegation, user, spn, QUICK);
    }
}
