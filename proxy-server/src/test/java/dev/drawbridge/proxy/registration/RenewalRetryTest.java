package dev.drawbridge.proxy.registration;

import dev.drawbridge.model.api.ConnectorEventType;
import dev.drawbridge.model.api.RenewalResponse;
import dev.drawbridge.proxy.pki.CertificateAuthority;
import dev.drawbridge.proxy.pki.Pem;
import dev.drawbridge.proxy.registration.RenewalServer.Answer;
import dev.drawbridge.proxy.registration.RenewalServer.Credential;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.tunnel.ConnectorStore;
import dev.drawbridge.proxy.web.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.drawbridge.proxy.store.db.Tables.CONNECTOR;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connector whose renewal answer was lost asks again with its previous certificate and the key it kept pending, over
 * the tunnel port's real mutual TLS: it gets the same certificate (no new serial, no longer grace), and nothing else. Every
 * replay and race: the same key (once, twice at once, late in the grace), another key, a forged CSR, after the grace, after
 * a revocation, a move, a second renewal or a replaced certificate; two first attempts at once; the current certificate
 * as before (rate limit).
 */
class RenewalRetryTest {
    @TempDir
    Path dir;
    RenewalServer server;

    Database database(Path dataDir) throws Exception {
        return Database.h2(dataDir);
    }

    @BeforeEach
    void start() throws Exception {
        server = new RenewalServer(dir, database(dir));
    }

    @AfterEach
    void stop() throws Exception {
        // Absent when the database could not be had (PostgreSQL not configured: the test is skipped).
        if (server != null) {
            server.close();
        }
    }

    private static RenewalResponse body(Answer a) throws Exception {
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        return Json.MAPPER.readValue(a.body(), RenewalResponse.class);
    }

    private static String serial(RenewalResponse r) throws Exception {
        return Pem.parseCertificate(r.certificatePem()).getSerialNumber().toString(16);
    }

    /** A connector that renewed (its answer then lost): its first certificate, the key it asked for, the answer. */
    private record Renewed(Credential first, KeyPair pending, RenewalResponse answer) {
        Credential renewed() throws Exception {
            X509Certificate c = Pem.parseCertificate(answer.certificatePem());
            return new Credential(first.connectorId(), pending, c);
        }
    }

    private Renewed renewed() throws Exception {
        Credential a = server.register();
        KeyPair k1 = CertificateAuthority.newKeyPair();
        return new Renewed(a, k1, body(server.renew(a, k1)));
    }

    private ConnectorStore.Connector row(Credential c) {
        return server.store.findConnector(c.connectorId()).orElseThrow();
    }

    @Test
    void aRetryByThePreviousCertificateWithTheSameKeyGetsTheSameCertificate() throws Exception {
        Renewed r = renewed();
        server.clock.advance(Duration.ofMinutes(1));
        RenewalResponse again = body(server.renew(r.first(), r.pending()));
        assertThat(again).isEqualTo(r.answer());
        assertThat(row(r.first()).certSerial()).isEqualTo(serial(r.answer()));
        assertThat(server.events(r.first(), ConnectorEventType.CERTIFICATE_RENEWED)).isOne();
    }

    @Test
    void aRetryLateInTheGraceDoesNotStretchIt() throws Exception {
        Renewed r = renewed();
        Instant graceEnd = r.answer().previousValidUntil();
        server.clock.advance(Duration.between(server.clock.instant(), graceEnd).minusSeconds(1));
        assertThat(body(server.renew(r.first(), r.pending()))).isEqualTo(r.answer());
        // Still the first grace: the previous certificate is accepted up to it, and not a moment later.
        assertThat(server.store.standing(r.first().connectorId(), graceEnd.minusMillis(1)).orElseThrow().accepts(r.first().serial())).isTrue();
        assertThat(server.store.standing(r.first().connectorId(), graceEnd).orElseThrow().accepts(r.first().serial())).isFalse();
    }

    @Test
    void aRetryAfterTheGraceIsRefused() throws Exception {
        Renewed r = renewed();
        server.clock.advance(Duration.between(server.clock.instant(), r.answer().previousValidUntil()));
        Answer late = server.renew(r.first(), r.pending());
        assertThat(late.status()).isEqualTo(403);
        assertThat(late.body()).contains("register again");
    }

    @Test
    void anotherKeyFromThePreviousCertificateIsRefusedWithOneEvent() throws Exception {
        Renewed r = renewed();
        server.clock.advance(RenewalHandler.MIN_INTERVAL.plusMinutes(1));
        for (int i = 0; i < 2; i++) {
            Answer thief = server.renew(r.first(), CertificateAuthority.newKeyPair());
            assertThat(thief.status()).isEqualTo(403);
            assertThat(thief.body()).contains("another key");
        }
        assertThat(row(r.first()).certSerial()).isEqualTo(serial(r.answer()));
        assertThat(server.store.standing(r.first().connectorId(), server.clock.instant()).orElseThrow().previousSerial()).contains(r.first().serial());
        assertThat(server.events(r.first(), ConnectorEventType.CERTIFICATE_RENEWAL_REFUSED)).isOne();
        // The connector itself still fetches its certificate.
        assertThat(body(server.renew(r.first(), r.pending()))).isEqualTo(r.answer());
    }

    @Test
    void aRetryMustProveItHoldsTheKey() throws Exception {
        Renewed r = renewed();
        // The certified public key, but a CSR signed by another key: whoever sends it does not hold the pending key.
        Answer forged = server.post(r.first(), RenewalServer.csr(r.pending().getPublic(), CertificateAuthority.newKeyPair()));
        assertThat(forged.status()).isEqualTo(400);
        assertThat(forged.body()).contains("signature");
    }

    @Test
    void twoRetriesAtOnceGetTheSameCertificate() throws Exception {
        Renewed r = renewed();
        assertThat(atOnce(6, () -> server.renew(r.first(), r.pending()))).allSatisfy(a -> assertThat(body(a)).isEqualTo(r.answer()));
        assertThat(row(r.first()).certSerial()).isEqualTo(serial(r.answer()));
    }

    /**
     * The connector asks again while its first request is still on the way (its answer late rather than lost): of the
     * racing requests by the current certificate for one key, one renews and the others get its certificate.
     */
    @Test
    void racingFirstAttemptsForOneKeyGetOneCertificate() throws Exception {
        Credential a = server.register();
        KeyPair k1 = CertificateAuthority.newKeyPair();
        List<Answer> answers = atOnce(6, () -> server.renew(a, k1));
        RenewalResponse first = body(answers.getFirst());
        assertThat(answers).allSatisfy(x -> assertThat(body(x)).isEqualTo(first));
        assertThat(row(a).certSerial()).isEqualTo(serial(first));
        assertThat(server.events(a, ConnectorEventType.CERTIFICATE_RENEWED)).isOne();
    }

    @Test
    void aRetryAfterARevocationIsRefused() throws Exception {
        Renewed r = renewed();
        server.store.revoke(r.first().connectorId(), server.clock.instant());
        assertThat(server.renew(r.first(), r.pending()).status()).isEqualTo(403);
    }

    @Test
    void aRetryAfterAMoveGetsTheSameCertificate() throws Exception {
        Renewed r = renewed();
        String branch = server.store.createGroup("Branch", server.clock.instant()).id();
        server.store.moveConnector(r.first().connectorId(), branch);
        assertThat(body(server.renew(r.first(), r.pending()))).isEqualTo(r.answer());
    }

    @Test
    void aRetryAfterASecondRenewalIsRefused() throws Exception {
        Renewed r = renewed();
        server.clock.advance(RenewalHandler.MIN_INTERVAL.plusMinutes(1));
        Credential second = r.renewed();
        KeyPair k2 = CertificateAuthority.newKeyPair();
        RenewalResponse third = body(server.renew(second, k2));
        // The first certificate is neither current nor previous any more; the second one fetches only what it renewed to.
        assertThat(server.renew(r.first(), r.pending()).status()).isEqualTo(403);
        assertThat(server.renew(second, r.pending()).status()).isEqualTo(403);
        assertThat(body(server.renew(second, k2))).isEqualTo(third);
        assertThat(row(r.first()).certSerial()).isEqualTo(serial(third));
    }

    @Test
    void aRetryAfterTheCertificateWasReplacedIsRefused() throws Exception {
        Renewed r = renewed();
        // Another certificate registered meanwhile (as an operator with SQL would): the renewal's is no longer the connector's.
        server.db.dsl().update(CONNECTOR).set(CONNECTOR.CERT_SERIAL, "ab12").where(CONNECTOR.ID.eq(r.first().connectorId())).execute();
        assertThat(server.renew(r.first(), r.pending()).status()).isEqualTo(403);
    }

    @Test
    void theCurrentCertificateRenewsAsBeforeRateLimited() throws Exception {
        Renewed r = renewed();
        Credential current = r.renewed();
        Answer soon = server.renew(current, CertificateAuthority.newKeyPair());
        assertThat(soon.status()).isEqualTo(429);
        assertThat(soon.retryAfter()).isPresent();
        assertThat(server.post(current, RenewalServer.csr(current.keys())).status()).as("its own key").isIn(400, 429);
        server.clock.advance(RenewalHandler.MIN_INTERVAL);
        assertThat(server.post(current, RenewalServer.csr(current.keys())).status()).as("its own key").isEqualTo(400);
        RenewalResponse next = body(server.renew(current, CertificateAuthority.newKeyPair()));
        assertThat(serial(next)).isNotIn(serial(r.answer()), r.first().serial());
        assertThat(next.previousValidUntil()).isEqualTo(server.clock.instant().plus(RenewalHandler.GRACE).truncatedTo(ChronoUnit.MILLIS));
    }

    private static List<Answer> atOnce(int n, Callable<Answer> call) throws Exception {
        CyclicBarrier start = new CyclicBarrier(n);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Answer>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            List<Answer> answers = new ArrayList<>();
            for (Future<Answer> f : futures) {
                answers.add(f.get());
            }
            return answers;
        }
    }
}
