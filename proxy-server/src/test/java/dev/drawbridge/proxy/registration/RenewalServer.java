package dev.drawbridge.proxy.registration;

import dev.drawbridge.model.api.ConnectorEventType;
import dev.drawbridge.proxy.identity.SettableClock;
import dev.drawbridge.proxy.pki.CertificateAuthority;
import dev.drawbridge.proxy.pki.ListenerTls;
import dev.drawbridge.proxy.pki.Pem;
import dev.drawbridge.proxy.pki.ServerKeys;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.tunnel.ConnectorStore;
import dev.drawbridge.proxy.tunnel.TunnelHandler;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;

/**
 * Component-test fixture for certificate renewal: one real Jetty server on an ephemeral loopback port with the tunnel
 * port's mutual TLS (client certificates of the connector CA required), its {@link TunnelHandler} routing
 * {@link RenewalHandler}, a real database and a clock the test moves; connectors registered straight into the store, and
 * a client that renews presenting any certificate.
 */
final class RenewalServer implements AutoCloseable {
    /** A connector's certificate and the key pair it certifies. */
    record Credential(String connectorId, KeyPair keys, X509Certificate certificate) {
        String serial() {
            return certificate.getSerialNumber().toString(16);
        }
    }

    /** An answer: status, Retry-After when given, body. */
    record Answer(int status, Optional<String> retryAfter, String body) {
    }

    final SettableClock clock = new SettableClock(Instant.now());
    final Database db;
    final ConnectorStore store;
    final List<String> events = new CopyOnWriteArrayList<>();
    private final ServerKeys keys;
    private final Server server;
    private final ServerConnector connector;
    private final String groupId;

    RenewalServer(Path dir, Database db) throws Exception {
        this.db = db;
        this.store = new ConnectorStore(db);
        this.keys = ServerKeys.loadOrCreate(dir, clock);
        this.groupId = store.ensureDefaultGroup(clock.instant()).id();
        RenewalHandler renewal = new RenewalHandler(keys, store, clock);
        renewal.onEvent(e -> events.add(e.connectorId() + " " + e.type()));
        TunnelHandler tunnel = new TunnelHandler(store, null, null, clock);
        tunnel.route(RenewalHandler.PATH, renewal);

        KeyPair serverKey = CertificateAuthority.newKeyPair();
        X509Certificate serverCert = keys.serverCa().issueServerCertificate(serverKey.getPublic(), List.of("localhost"),
                List.of("127.0.0.1"), Duration.ofDays(1));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", serverKey.getPrivate(), "pw".toCharArray(), new Certificate[]{serverCert});
        SslContextFactory.Server tls = ListenerTls.newFactory();
        tls.setKeyStore(ks);
        tls.setKeyStorePassword("pw");
        tls.setTrustStore(trustStore(keys.connectorCa().certificate()));
        tls.setNeedClientAuth(true);
        HttpConfiguration http = new HttpConfiguration();
        SecureRequestCustomizer src = new SecureRequestCustomizer();
        src.setSniHostCheck(false);
        http.addCustomizer(src);
        this.server = new Server();
        HttpConnectionFactory h1 = new HttpConnectionFactory(http);
        this.connector = new ServerConnector(server, new SslConnectionFactory(tls, h1.getProtocol()), h1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(tunnel);
        server.start();
    }

    /** A connector registered with a certificate of the connector CA (as registration issues it). */
    Credential register() throws Exception {
        String id = UUID.randomUUID().toString();
        KeyPair kp = CertificateAuthority.newKeyPair();
        X509Certificate cert = keys.connectorCa().signClientCsr(Pem.parseCsr(csr(kp)), id, RegistrationHandler.CERT_VALIDITY);
        store.insertConnector(new ConnectorStore.Connector(id, groupId, "host", "1", cert.getSerialNumber().toString(16),
                cert.getNotAfter().toInstant(), clock.instant(), Optional.empty(), Optional.empty()));
        return new Credential(id, kp, cert);
    }

    /** A CSR (PEM) for {@code kp}, signed with it. */
    static String csr(KeyPair kp) throws Exception {
        return csr(kp.getPublic(), kp);
    }

    /** A CSR (PEM) for {@code key}, signed with {@code signer} (a forgery unless it is {@code key}'s pair). */
    static String csr(PublicKey key, KeyPair signer) throws Exception {
        var csr = new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=drawbridge-connector"), key)
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate()));
        return "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder(64, new byte[]{10}).encodeToString(csr.getEncoded())
                + "\n-----END CERTIFICATE REQUEST-----\n";
    }

    /** {@code POST /connector/v1/renew} presenting {@code as}'s certificate, with a CSR for {@code newKey}. */
    Answer renew(Credential as, KeyPair newKey) throws Exception {
        return post(as, csr(newKey));
    }

    /** {@code POST /connector/v1/renew} presenting {@code as}'s certificate, with {@code csrPem}. */
    Answer post(Credential as, String csrPem) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("connector", as.keys().getPrivate(), "pw".toCharArray(), new Certificate[]{as.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "pw".toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trustStore(keys.serverCa().certificate()));
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        try (HttpClient http = HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(10)).build()) {
            String body = "{\"csrPem\":\"" + csrPem.replace("\n", "\\n") + "\"}";
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + connector.getLocalPort() + RenewalHandler.PATH))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.headers().firstValue("Retry-After"), r.body());
        }
    }

    /** The events of {@code type} recorded for {@code c}. */
    long events(Credential c, ConnectorEventType type) {
        return events.stream().filter((c.connectorId() + " " + type)::equals).count();
    }

    private static KeyStore trustStore(X509Certificate ca) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        return trust;
    }

    @Override
    public void close() throws Exception {
        server.stop();
        db.close();
    }
}
