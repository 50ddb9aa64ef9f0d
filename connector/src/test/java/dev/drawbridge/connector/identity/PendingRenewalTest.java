package dev.drawbridge.connector.identity;

import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The connector's side of a renewal whose answer is lost: the new key is stored as pending (0600, atomically) before the
 * CSR leaves, kept across failures and restarts, asked for again, and forgotten once the renewed identity is stored; the
 * server (a stand-in on real mutual TLS) loses its answer after issuing, or the connector stops before storing it.
 */
class PendingRenewalTest {
    @TempDir
    Path dir;
    RenewalServerStub server;
    ConnectorIdentity registered;
    HttpClient http;

    @BeforeEach
    void start() throws Exception {
        server = new RenewalServerStub();
        registered = server.register(dir);
        http = RenewalServerStub.clientOf(registered);
    }

    @AfterEach
    void stop() throws Exception {
        http.stop();
        server.close();
    }

    private static String serial(X509Certificate c) {
        return c.getSerialNumber().toString(16);
    }

    @Test
    void aLostAnswerIsAskedAgainForTheSameKeyAndTheSameCertificateStored() throws Exception {
        server.drop.set(1);
        assertThatThrownBy(() -> CertificateRenewal.renewAndStore(registered, dir, server.tunnelUrl(), http))
                .isInstanceOfSatisfying(CertificateRenewal.RenewalException.class, e -> assertThat(e.retryable()).isTrue());
        assertThat(server.issued).hasSize(1);
        // The connector still holds its old identity, and the key the server certified, pending.
        assertThat(serial(ConnectorIdentity.load(dir).certificate())).isEqualTo(serial(registered.certificate()));
        assertThat(PendingRenewal.exists(dir)).isTrue();

        ConnectorIdentity renewed = CertificateRenewal.renewAndStore(ConnectorIdentity.load(dir), dir, server.tunnelUrl(), http);
        assertThat(server.asked).hasSize(2).containsOnly(server.asked.getFirst());
        X509Certificate issued = server.issued.get(server.asked.getFirst());
        assertThat(serial(renewed.certificate())).isEqualTo(serial(issued));
        ConnectorIdentity stored = ConnectorIdentity.load(dir);
        assertThat(serial(stored.certificate())).isEqualTo(serial(issued));
        assertThat(stored.privateKey().getEncoded()).isEqualTo(renewed.privateKey().getEncoded());
        assertThat(PendingRenewal.exists(dir)).isFalse();
    }

    @Test
    void aStopBetweenIssueAndSaveIsCompletedAfterARestartWithTheSameKey() throws Exception {
        // The renewal's first half: the key stored as pending, the server issues, and the process ends before storing.
        KeyPair pending = PendingRenewal.loadOrCreate(dir, registered.certificate());
        X509Certificate issued = CertificateRenewal.renew(registered, pending, server.tunnelUrl(), http).certificate();

        // A new process: it loads what is on disk, the old identity and the pending key, and completes the renewal.
        ConnectorIdentity restarted = ConnectorIdentity.load(dir);
        assertThat(serial(restarted.certificate())).isEqualTo(serial(registered.certificate()));
        assertThat(PendingRenewal.exists(dir)).isTrue();
        ConnectorIdentity renewed = CertificateRenewal.renewAndStore(restarted, dir, server.tunnelUrl(), http);
        assertThat(serial(renewed.certificate())).isEqualTo(serial(issued));
        assertThat(server.asked).containsExactly(pending.getPublic(), pending.getPublic());
        assertThat(serial(ConnectorIdentity.load(dir).certificate())).isEqualTo(serial(issued));
        assertThat(PendingRenewal.exists(dir)).isFalse();
    }

    @Test
    void aRenewalStoredButNotYetForgottenLeavesNothingPending() throws Exception {
        KeyPair pending = PendingRenewal.loadOrCreate(dir, registered.certificate());
        String file = Files.readString(dir.resolve(PendingRenewal.FILE));
        CertificateRenewal.renew(registered, pending, server.tunnelUrl(), http).saveRenewed(dir);
        // As if the process ended between storing the identity and removing the pending key.
        Files.writeString(dir.resolve(PendingRenewal.FILE), file);
        assertThat(PendingRenewal.load(dir, ConnectorIdentity.load(dir).certificate())).isEmpty();
        assertThat(PendingRenewal.exists(dir)).isFalse();
    }

    @Test
    void thePendingKeyIsPrivateWrittenAtomicallyAndTheSameAfterARestart() throws Exception {
        KeyPair first = PendingRenewal.loadOrCreate(dir, registered.certificate());
        Path file = dir.resolve(PendingRenewal.FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
        Optional<KeyPair> again = PendingRenewal.load(dir, registered.certificate());
        assertThat(again).hasValueSatisfying(kp -> {
            assertThat(kp.getPublic()).isEqualTo(first.getPublic());
            assertThat(kp.getPrivate().getEncoded()).isEqualTo(first.getPrivate().getEncoded());
        });
        assertThat(PendingRenewal.loadOrCreate(dir, registered.certificate()).getPublic()).isEqualTo(first.getPublic());
    }

    @Test
    void aDamagedPendingKeyIsReplacedByANewOne() throws Exception {
        Files.writeString(dir.resolve(PendingRenewal.FILE), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        KeyPair fresh = PendingRenewal.loadOrCreate(dir, registered.certificate());
        assertThat(PendingRenewal.load(dir, registered.certificate())).hasValueSatisfying(kp -> assertThat(kp.getPublic()).isEqualTo(fresh.getPublic()));
    }

    @Test
    void halvesOfTwoKeysAreNotAPendingKey() throws Exception {
        KeyPair a = RenewalServerStub.keys(), b = RenewalServerStub.keys();
        Files.writeString(dir.resolve(PendingRenewal.FILE), "renews serial " + serial(registered.certificate()) + "\n"
                + ConnectorIdentity.pem("PRIVATE KEY", a.getPrivate().getEncoded())
                + ConnectorIdentity.pem("PUBLIC KEY", b.getPublic().getEncoded()));
        assertThat(PendingRenewal.load(dir, registered.certificate())).isEmpty();
        assertThat(PendingRenewal.exists(dir)).isFalse();
    }

    @Test
    void aNewRegistrationEndsARenewalUnderWay() throws Exception {
        PendingRenewal.loadOrCreate(dir, registered.certificate());
        ConnectorIdentity again = server.register(dir);
        assertThat(PendingRenewal.load(dir, again.certificate())).isEmpty();
        assertThat(PendingRenewal.exists(dir)).isFalse();
    }

    @Test
    void storingTheSameIdentityAgainKeepsTheRenewalUnderWay() throws Exception {
        KeyPair pending = PendingRenewal.loadOrCreate(dir, registered.certificate());
        // As the test stack and a re-pointed server URL do: the identity written again, unchanged.
        ConnectorIdentity.load(dir).save(dir);
        assertThat(PendingRenewal.load(dir, registered.certificate())).hasValueSatisfying(kp -> assertThat(kp.getPublic()).isEqualTo(pending.getPublic()));
    }

    @Test
    void retriesComeSoonAndOftenWithinTheGrace() {
        assertThat(IntStream.rangeClosed(1, 60).mapToObj(CertificateRenewal::retryDelay))
                .allSatisfy(d -> assertThat(d).isPositive().isLessThanOrEqualTo(CertificateRenewal.RETRY_CAP));
        assertThat(CertificateRenewal.retryDelay(1)).isLessThanOrEqualTo(Duration.ofSeconds(5));
        // Even at the longest waits, ten attempts fit in the server's one-hour grace for the previous certificate.
        Duration longest = IntStream.rangeClosed(1, 10).mapToObj(n -> CertificateRenewal.retryDelay(n).multipliedBy(2))
                .reduce(Duration.ZERO, Duration::plus);
        assertThat(longest).isLessThan(Duration.ofHours(1));
    }
}
