package dev.drawbridge.proxy.tunnel;

import dev.drawbridge.model.api.ConnectorEvent;
import dev.drawbridge.model.api.ConnectorEventType;
import dev.drawbridge.proxy.ProxyServer;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.pki.CertificateAuthority;
import dev.drawbridge.proxy.pki.ServerKeys;
import dev.drawbridge.proxy.registration.RegistrationHandler;
import dev.drawbridge.proxy.store.Database;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tunnel port refusing an expired client certificate at the TLS handshake records {@code CERTIFICATE_EXPIRED} for its
 * connector (one that expired while offline shows up in the event log, not only tunnels cut while up), at most once an hour
 * however often it retries; an expired certificate of an unknown or a revoked connector, and one the connector CA did not
 * sign, record nothing. A real server on ephemeral ports; the connector is registered straight into its database.
 */
class ExpiredCertificateEventTest {
    @TempDir
    Path data;
    private ProxyServer server;
    private Database db;
    private ConnectorStore store;
    private ServerKeys keys;

    @BeforeEach
    void start() throws Exception {
        server = ProxyServer.start(ServerConfig.defaults(data).withPorts("127.0.0.1", 0, 0).withManagement(ServerConfig.Management.OFF));
        // The same embedded database, from this JVM (H2 shares an open database between connections of one process).
        db = Database.h2(data);
        store = new ConnectorStore(db);
        keys = ServerKeys.loadOrCreate(data, Clock.systemUTC());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        db.close();
    }

    /** A registered connector whose certificate (signed by the connector CA, back then) expired a day ago. */
    private Credential expiredConnector(CertificateAuthority ca, Standing standing) throws Exception {
        String id = UUID.randomUUID().toString();
        KeyPair kp = CertificateAuthority.newKeyPair();
        CertificateAuthority then = new CertificateAuthority(ca.certificate(), ca.privateKey(),
                Clock.fixed(Instant.now().minus(RegistrationHandler.CERT_VALIDITY).minus(Duration.ofDays(1)), ZoneOffset.UTC));
        X509Certificate cert = then.signClientCsr(new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=x"), kp.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())), id, RegistrationHandler.CERT_VALIDITY);
        assertThat(cert.getNotAfter().toInstant()).isBefore(Instant.now());
        if (standing != Standing.UNKNOWN) {
            String group = store.ensureDefaultGroup(Instant.now()).id();
            store.insertConnector(new ConnectorStore.Connector(id, group, "host", "1", cert.getSerialNumber().toString(16),
                    cert.getNotAfter().toInstant(), Instant.now(), Optional.empty(), Optional.empty()));
            if (standing == Standing.REVOKED) {
                assertThat(store.revoke(id, Instant.now())).isTrue();
            }
        }
        return new Credential(id, kp, cert);
    }

    enum Standing { REGISTERED, REVOKED, UNKNOWN }

    record Credential(String id, KeyPair keys, X509Certificate certificate) {
    }

    @Test
    void anExpiredCertificateIsRecordedOnceAnHour() throws Exception {
        Credential c = expiredConnector(keys.connectorCa(), Standing.REGISTERED);
        for (int i = 0; i < 3; i++) {
            assertThat(dial(c)).as("the handshake refuses the expired certificate").isFalse();
        }
        List<ConnectorEvent> events = events(c.id());
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(ConnectorEventType.CERTIFICATE_EXPIRED);
            assertThat(e.detail()).contains("expired at " + c.certificate().getNotAfter().toInstant(), "register the connector again");
        });
    }

    @Test
    void unknownRevokedAndForeignCertificatesRecordNothing() throws Exception {
        Credential revoked = expiredConnector(keys.connectorCa(), Standing.REVOKED);
        CertificateAuthority foreign = CertificateAuthority.create("Someone else's CA", Duration.ofDays(3650), Clock.systemUTC());
        Credential notOurs = expiredConnector(foreign, Standing.REGISTERED);
        Credential unknown = expiredConnector(keys.connectorCa(), Standing.UNKNOWN);
        for (Credential c : List.of(revoked, notOurs, unknown)) {
            assertThat(dial(c)).isFalse();
        }
        // The refusals above are handled before this one's: once it is recorded, theirs were decided.
        Credential witness = expiredConnector(keys.connectorCa(), Standing.REGISTERED);
        assertThat(dial(witness)).isFalse();
        assertThat(events(witness.id())).hasSize(1);
        for (Credential c : List.of(revoked, notOurs, unknown)) {
            assertThat(events(c.id())).as(c.id()).isEmpty();
        }
    }

    /**
     * A connector that renewed keeps working on its new certificate; its previous one expires later on its own. That old
     * certificate (signed by the connector CA, naming the connector) is no secret, and the trust manager judges it before
     * the client proves it holds the key (CertificateVerify comes after): whoever has a copy must not be able to write
     * "expired, register the connector again" into a healthy connector's event log. Only the connector's current certificate
     * counts.
     */
    @Test
    void anOldCertificateOfARenewedConnectorRecordsNothingEvenWithoutItsKey() throws Exception {
        Credential old = expiredConnector(keys.connectorCa(), Standing.UNKNOWN);
        KeyPair current = CertificateAuthority.newKeyPair();
        X509Certificate renewed = keys.connectorCa().signClientCsr(new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=x"),
                current.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(current.getPrivate())), old.id(),
                RegistrationHandler.CERT_VALIDITY);
        String group = store.ensureDefaultGroup(Instant.now()).id();
        store.insertConnector(new ConnectorStore.Connector(old.id(), group, "host", "1", renewed.getSerialNumber().toString(16),
                renewed.getNotAfter().toInstant(), Instant.now(), Optional.empty(), Optional.empty()));
        Credential copied = new Credential(old.id(), CertificateAuthority.newKeyPair(), old.certificate());
        assertThat(dial(copied)).isFalse();
        assertThat(dial(old)).isFalse();
        Credential witness = expiredConnector(keys.connectorCa(), Standing.REGISTERED);
        assertThat(dial(witness)).isFalse();
        assertThat(events(witness.id())).hasSize(1);
        assertThat(events(old.id())).as("a healthy connector's event log").isEmpty();
    }

    /** Connects to the tunnel port presenting {@code c}'s certificate; true when a request got an HTTP answer. */
    private boolean dial(Credential c) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("connector", c.keys().getPrivate(), "pw".toCharArray(), new Certificate[]{c.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "pw".toCharArray());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", keys.serverCa().certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", server.tunnelPort())) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            s.getOutputStream().write("GET /connector/v1/tunnel HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).startsWith("HTTP/1.1");
        } catch (IOException refused) {
            return false;
        }
    }

    private List<ConnectorEvent> events(String connectorId) {
        return new ConnectorEvents(db, Clock.systemUTC()).query(new ConnectorEvents.Query(Optional.of(connectorId),
                Optional.of(ConnectorEventType.CERTIFICATE_EXPIRED.name()), Optional.empty(), Optional.empty(), 0, 100), id -> Optional.empty());
    }
}
