package dev.drawbridge.systemtests.connector;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.drawbridge.adminclient.Connectors;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.connector.Connector;
import dev.drawbridge.connector.http.Clients;
import dev.drawbridge.connector.identity.CertificateRenewal;
import dev.drawbridge.connector.identity.ConnectorIdentity;
import dev.drawbridge.connector.identity.PendingRenewal;
import dev.drawbridge.connector.identity.RenewalSchedule;
import dev.drawbridge.model.api.ConnectorEventType;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.registration.RenewalHandler;
import dev.drawbridge.proxy.tunnel.TunnelConnection;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.time.Await;
import dev.drawbridge.testsupport.time.MutableClock;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A connector renews its client certificate over its authenticated channel: a new key and serial, stored (the previous
 * pair kept), used by every tunnel (the server retires the tunnels on the previous certificate; replacements first, so no
 * request in flight fails), the previous certificate accepted for a grace only, renewals rate-limited, an event recorded;
 * and a connector whose certificate expired says to register again.
 */
class CertificateRenewalTest {
    @TempDir
    static Path dir;
    static MutableClock clock = new MutableClock();
    static SampleApp app;
    static DrawbridgeStack stack;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")).withClock(clock));
        url = stack.publish("Ledger", "ledger", app.baseUri(), PreAuthentication.PASSTHROUGH);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
        app.close();
    }

    private static String serial(X509Certificate c) {
        return c.getSerialNumber().toString(16);
    }

    /** A client presenting {@code id}'s certificate to the server, trusting only the server CA (as the connector does). */
    private static HttpClient clientOf(ConnectorIdentity id) throws Exception {
        SslContextFactory.Client tls = Clients.serverTls();
        char[] pw = "pw".toCharArray();
        tls.setKeyStore(id.keyStore(pw));
        tls.setKeyStorePassword("pw");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", id.serverCa());
        tls.setTrustStore(trust);
        HttpClient http = Clients.httpClient(tls);
        http.start();
        return http;
    }

    @Test
    void aRenewalMovesEveryTunnelToTheNewCertificateWithoutFailingARequest() throws Exception {
        Path state = dir.resolve("renewing");
        Connector c = stack.startConnector(state, 2);
        ConnectorIdentity before = ConnectorIdentity.load(state);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger(), failed = new AtomicInteger();
        Thread load = Thread.startVirtualThread(() -> {
            while (running.get()) {
                try {
                    int status = stack.http().newRequest(URI.create(url + "echo/renewal")).timeout(20, TimeUnit.SECONDS).send().getStatus();
                    (status == 200 ? ok : failed).incrementAndGet();
                } catch (Exception e) {
                    failed.incrementAndGet();
                }
            }
        });
        try {
            Await.until("some requests before the renewal", Duration.ofSeconds(10), () -> ok.get() > 5);
            X509Certificate renewed = c.renewCertificate();
            assertThat(serial(renewed)).isNotEqualTo(serial(before.certificate()));
            assertThat(renewed.getPublicKey()).isNotEqualTo(before.certificate().getPublicKey());
            assertThat(renewed.getSubjectX500Principal()).isEqualTo(before.certificate().getSubjectX500Principal());

            Await.until("every tunnel of the connector on the new certificate", Duration.ofSeconds(30), () -> {
                var mine = stack.server().registry().tunnels().stream().filter(t -> t.connectorId().equals(c.connectorId())).toList();
                return mine.size() == 2 && mine.stream().map(TunnelConnection::certSerial).allMatch(serial(renewed)::equals);
            });
            int after = ok.get();
            Await.until("requests after the move", Duration.ofSeconds(10), () -> ok.get() > after + 5);
        } finally {
            running.set(false);
            load.join();
        }
        assertThat(failed.get()).as("requests failed during the renewal (of %d)", ok.get()).isZero();

        ConnectorIdentity stored = ConnectorIdentity.load(state);
        assertThat(serial(stored.certificate())).isEqualTo(serial(c.certificate()));
        assertThat(Files.readString(state.resolve("connector.crt.previous"))).isEqualTo(
                ConnectorIdentity.pem("CERTIFICATE", before.certificate().getEncoded()));
        assertThat(stack.adminApi().connectors().events(Paging.LARGEST, new Connectors.EventFilter(c.connectorId(),
                ConnectorEventType.CERTIFICATE_RENEWED, null, null)).items()).hasSize(1);

        // At once again: refused for now (429), the connector keeps what it has.
        assertThatThrownBy(c::renewCertificate).isInstanceOfSatisfying(CertificateRenewal.RenewalException.class,
                e -> assertThat(e.retryable()).isTrue()).hasMessageContaining("429");

        // The previous certificate carries tunnels during the grace, but never renews (only the current one does); after
        // the grace it is refused altogether.
        HttpClient old = clientOf(before);
        try {
            assertThatThrownBy(() -> CertificateRenewal.renew(before, c.tunnelUrl(), old)).hasMessageContaining("403");
            clock.advance(RenewalHandler.GRACE.plusMinutes(1));
            assertThatThrownBy(() -> CertificateRenewal.renew(before, c.tunnelUrl(), old)).hasMessageContaining("403")
                    .hasMessageContaining("register again");
        } finally {
            // Back to the real time: certificates issued later must be valid for the TLS handshake (system time).
            clock.advance(RenewalHandler.GRACE.plusMinutes(1).negated());
            old.stop();
            c.close();
        }
    }

    /**
     * A key stolen before a renewal dies with the grace: its holder cannot renew with it once the connector renewed (past
     * the rate limit, still in the grace), which would mint a certificate for the thief, shut the connector out (its new
     * certificate no longer registered) and stretch the stolen key's grace by another hour at every renewal.
     */
    @Test
    void thePreviousCertificateCannotRenewDuringTheGrace() throws Exception {
        Path state = dir.resolve("stolen");
        Connector c = stack.startConnector(state, 1);
        ConnectorIdentity stolen = ConnectorIdentity.load(state);
        HttpClient thief = clientOf(stolen);
        try {
            X509Certificate renewed = c.renewCertificate();
            clock.advance(RenewalHandler.MIN_INTERVAL.plusMinutes(1));
            try {
                assertThatThrownBy(() -> CertificateRenewal.renew(stolen, c.tunnelUrl(), thief)).hasMessageContaining("403");
            } finally {
                // Back to the real time: certificates issued later must be valid for the TLS handshake (system time).
                clock.advance(RenewalHandler.MIN_INTERVAL.plusMinutes(1).negated());
            }
            // The connector keeps serving on its new certificate.
            stack.server().registry().recheck();
            Await.until("the connector's tunnel on its new certificate", Duration.ofSeconds(30), () -> stack.server().registry().tunnels()
                    .stream().anyMatch(t -> t.connectorId().equals(c.connectorId()) && t.certSerial().equals(serial(renewed)) && !t.isRetiring()));
            assertThat(stack.http().newRequest(URI.create(url + "echo/stolen")).timeout(20, TimeUnit.SECONDS).send().getStatus()).isEqualTo(200);
        } finally {
            thief.stop();
            c.close();
        }
    }

    /**
     * The server renewed, but the answer never reached the connector's disk (the connection dropped, or the process ended
     * first): the connector holds only its previous certificate, which may no longer renew and dies with the grace. It kept
     * the renewal's key pending, so at its next start it asks again for it, gets the same certificate, and its tunnels move
     * to it and keep serving after the grace would have locked it out.
     */
    @Test
    void aRenewalWhoseAnswerWasLostCompletesAndTheTunnelsOutliveTheGrace() throws Exception {
        Path state = dir.resolve("lost");
        stack.startConnector(state, 2).close();
        ConnectorIdentity before = ConnectorIdentity.load(state);
        // The renewal's first half, as the connector makes it: the key stored as pending, the CSR sent, the server renews.
        KeyPair pending = PendingRenewal.loadOrCreate(state, before.certificate());
        X509Certificate issued;
        HttpClient http = clientOf(before);
        try {
            issued = CertificateRenewal.renew(before, pending, URI.create(before.tunnelUrl()), http).certificate();
        } finally {
            http.stop();
        }
        String connectorId = before.connectorId();
        assertThat(stack.adminApi().connectors().get(connectorId).certificateNotAfter()).as("renewed on the server")
                .isEqualTo(issued.getNotAfter().toInstant());
        assertThat(serial(ConnectorIdentity.load(state).certificate())).as("the answer never stored").isEqualTo(serial(before.certificate()));

        Connector c = stack.startConnector(state, 2);
        try {
            Await.until("the connector on the certificate the server issued", Duration.ofSeconds(30),
                    () -> serial(c.certificate()).equals(serial(issued)));
            assertThat(serial(ConnectorIdentity.load(state).certificate())).isEqualTo(serial(issued));
            assertThat(PendingRenewal.exists(state)).isFalse();
            Await.until("every tunnel of the connector on the issued certificate", Duration.ofSeconds(30), () -> {
                var mine = stack.server().registry().tunnels().stream().filter(t -> t.connectorId().equals(connectorId)).toList();
                return mine.size() == 2 && mine.stream().map(TunnelConnection::certSerial).allMatch(serial(issued)::equals);
            });

            clock.advance(RenewalHandler.GRACE.plusMinutes(1));
            try {
                stack.server().registry().recheck();
                assertThat(stack.server().registry().tunnelCount(connectorId)).isEqualTo(2);
                assertThat(stack.http().newRequest(URI.create(url + "echo/after-grace")).timeout(20, TimeUnit.SECONDS).send().getStatus())
                        .isEqualTo(200);
                // The previous certificate is done with now, even for the same key.
                HttpClient old = clientOf(before);
                try {
                    assertThatThrownBy(() -> CertificateRenewal.renew(before, pending, c.tunnelUrl(), old)).hasMessageContaining("403");
                } finally {
                    old.stop();
                }
            } finally {
                // Back to the real time: certificates issued later must be valid for the TLS handshake (system time).
                clock.advance(RenewalHandler.GRACE.plusMinutes(1).negated());
            }
        } finally {
            c.close();
        }
    }

    /**
     * Registers a connector into {@code state} whose certificate was issued {@code age} ago: the server's clock is set back
     * while it issues it (the certificate is genuine, only older). The connector counts as registered then too: it must
     * connect before the server's sweep of connectors never seen for 10 days (a minute after the server started, then
     * hourly) would remove it.
     */
    static void registerAged(DrawbridgeStack stack, MutableClock serverClock, Path state, Duration age) throws Exception {
        serverClock.advance(age.negated());
        try {
            ConnectorProcesses.register(stack, null, state);
        } finally {
            serverClock.advance(age);
        }
    }

    /**
     * Nobody calls {@code renewCertificate()}: a connector renews its certificate by itself once half its validity has
     * passed. Its certificate was issued 183 days ago (of 365); the connector's clock first runs two days behind, so its
     * age checks find it not due (the certificate stays), then catches up, and the next check renews it: a
     * CERTIFICATE_RENEWED event, the new certificate stored, the tunnels on its serial, requests served; the new
     * certificate is not due, so the checks that follow renew nothing more.
     */
    @Test
    void aConnectorPastHalfItsValidityRenewsByItself() throws Exception {
        Path state = dir.resolve("aged");
        registerAged(stack, clock, state, Duration.ofDays(183));
        ConnectorIdentity before = ConnectorIdentity.load(state);
        assertThat(CertificateRenewal.due(before.certificate(), Instant.now())).as("past half its validity").isTrue();
        ReadCountingClock connectorClock = new ReadCountingClock();
        connectorClock.advance(Duration.ofDays(-2));
        assertThat(CertificateRenewal.due(before.certificate(), connectorClock.instant())).as("two days before").isFalse();
        Connector c = Connector.start(new Connector.Options(state, 2, Optional.empty(), Duration.ofSeconds(10)), connectorClock,
                new RenewalSchedule(Duration.ofMillis(100), Duration.ofMillis(200)));
        try {
            c.awaitConnected(Duration.ofSeconds(30));
            int reads = connectorClock.reads();
            Await.until("three more age checks", Duration.ofSeconds(10), () -> connectorClock.reads() >= reads + 3);
            assertThat(serial(c.certificate())).as("not due yet: kept").isEqualTo(serial(before.certificate()));
            assertThat(renewedEvents(c.connectorId())).isZero();

            connectorClock.advance(Duration.ofDays(2));
            Await.until("the CERTIFICATE_RENEWED event", Duration.ofSeconds(30), () -> renewedEvents(c.connectorId()) == 1);
            Await.until("the connector on its renewed certificate", Duration.ofSeconds(10),
                    () -> !serial(c.certificate()).equals(serial(before.certificate())));
            X509Certificate renewed = c.certificate();
            assertThat(serial(ConnectorIdentity.load(state).certificate())).as("stored").isEqualTo(serial(renewed));
            assertThat(Files.readString(state.resolve("connector.crt.previous"))).isEqualTo(
                    ConnectorIdentity.pem("CERTIFICATE", before.certificate().getEncoded()));
            Await.until("every tunnel of the connector on the new certificate", Duration.ofSeconds(30), () -> {
                var mine = stack.server().registry().tunnels().stream().filter(t -> t.connectorId().equals(c.connectorId())).toList();
                return mine.size() == 2 && mine.stream().map(TunnelConnection::certSerial).allMatch(serial(renewed)::equals);
            });
            assertThat(stack.http().newRequest(URI.create(url + "echo/aged")).timeout(20, TimeUnit.SECONDS).send().getStatus()).isEqualTo(200);

            int after = connectorClock.reads();
            Await.until("three more age checks", Duration.ofSeconds(10), () -> connectorClock.reads() >= after + 3);
            assertThat(renewedEvents(c.connectorId())).as("the renewed certificate is not due").isEqualTo(1);
            assertThat(serial(c.certificate())).isEqualTo(serial(renewed));
            assertThat(PendingRenewal.exists(state)).isFalse();
        } finally {
            c.close();
        }
    }

    /**
     * A renewal the server refuses for now (429: renewed less than 10 minutes ago) is retried with a backoff (2.5 to 5 s the
     * first time), not at every age check: with a renewal under way each periodic check tried again at once, so a short
     * check interval ('run --renewal-check 1s') hammered the server at that rate, and each such failed check started one
     * more backing-off retry chain besides.
     */
    @Test
    void aRefusedRenewalBacksOffInsteadOfRetryingAtEveryCheck() throws Exception {
        Path state = dir.resolve("refused");
        registerAged(stack, clock, state, Duration.ofDays(183));
        MutableClock connectorClock = new MutableClock();
        Logger logger = (Logger) LoggerFactory.getLogger(Connector.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        Connector c = Connector.start(new Connector.Options(state, 1, Optional.empty(), Duration.ofSeconds(10)), connectorClock,
                new RenewalSchedule(Duration.ofMillis(100), Duration.ofMillis(200)));
        try {
            X509Certificate aged = ConnectorIdentity.load(state).certificate();
            Await.until("the aged certificate renewed", Duration.ofSeconds(30), () -> !serial(c.certificate()).equals(serial(aged)));
            // The renewed certificate is due by the connector's clock; the server renewed it a moment ago and answers 429.
            connectorClock.advance(Duration.ofDays(200));
            Await.until("two refused renewals", Duration.ofSeconds(20), () -> refusals(logged).size() >= 2);
            List<ILoggingEvent> refusals = refusals(logged);
            assertThat(refusals.get(0).getFormattedMessage()).contains("HTTP 429");
            assertThat(refusals.get(1).getTimeStamp() - refusals.get(0).getTimeStamp()).as("ms between the first two attempts")
                    .isGreaterThanOrEqualTo(2_400);
        } finally {
            logger.detachAppender(logged);
            c.close();
        }
    }

    private static List<ILoggingEvent> refusals(ListAppender<ILoggingEvent> logged) {
        synchronized (logged.list) {
            return logged.list.stream().filter(e -> e.getFormattedMessage().startsWith("cannot renew this connector's certificate")).toList();
        }
    }

    private static int renewedEvents(String connectorId) {
        try {
            return stack.adminApi().connectors().events(Paging.LARGEST, new Connectors.EventFilter(connectorId,
                    ConnectorEventType.CERTIFICATE_RENEWED, null, null)).items().size();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Real time plus an offset, counting its reads: the connector reads its clock once per age check. */
    private static final class ReadCountingClock extends Clock {
        private final MutableClock time = new MutableClock();
        private final AtomicInteger reads = new AtomicInteger();

        void advance(Duration d) {
            time.advance(d);
        }

        int reads() {
            return reads.get();
        }

        @Override
        public ZoneId getZone() {
            return time.getZone();
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            reads.incrementAndGet();
            return time.instant();
        }
    }

    @Test
    void aConnectorWhoseCertificateExpiredSaysToRegisterAgain() throws Exception {
        Path state = dir.resolve("expired");
        stack.startConnector(state, 1).close();
        X509Certificate cert = ConnectorIdentity.load(state).certificate();
        Clock afterExpiry = Clock.fixed(cert.getNotAfter().toInstant().plusSeconds(1), Clock.systemUTC().getZone());
        assertThatThrownBy(() -> Connector.start(new Connector.Options(state, 1, Optional.empty(), Duration.ofSeconds(10)), afterExpiry))
                .hasMessageContaining("certificate expired at " + cert.getNotAfter().toInstant())
                .hasMessageContaining("register it again");
    }
}
