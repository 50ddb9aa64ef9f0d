package dev.drawbridge.connector.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.drawbridge.connector.http.Clients;
import dev.drawbridge.model.api.RenewalRequest;
import dev.drawbridge.model.api.RenewalResponse;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.x500.X500Principal;

/**
 * A stand-in for the server's renewal endpoint, on a real Jetty server (port 0, mutual TLS with a test CA): it issues a
 * certificate for the CSR's key as the server does, the same certificate again for a key it certified already, records the
 * keys it was asked for, and can lose its answers: it issues, then drops the connection without a word, as a network cut
 * after the server renewed would.
 */
final class RenewalServerStub implements AutoCloseable {
    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule()).build();

    final List<PublicKey> asked = new CopyOnWriteArrayList<>();
    final Map<PublicKey, X509Certificate> issued = new ConcurrentHashMap<>();
    /** How many answers to lose (after issuing). */
    final AtomicInteger drop = new AtomicInteger();
    private final AtomicLong serials = new AtomicLong(100);
    private final KeyPair caKeys = keys();
    private final X509Certificate ca;
    private final Server server;
    private final ServerConnector connector;

    RenewalServerStub() throws Exception {
        ca = sign(new X500Name("CN=Test Connector CA"), caKeys.getPublic(), null);
        KeyPair serverKeys = keys();
        X509Certificate serverCert = sign(new X500Name("CN=127.0.0.1"), serverKeys.getPublic(),
                new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", serverKeys.getPrivate(), "pw".toCharArray(), new Certificate[]{serverCert});
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(ks);
        tls.setKeyStorePassword("pw");
        tls.setTrustStore(trust);
        tls.setNeedClientAuth(true);
        HttpConfiguration http = new HttpConfiguration();
        SecureRequestCustomizer src = new SecureRequestCustomizer();
        src.setSniHostCheck(false);
        http.addCustomizer(src);
        server = new Server();
        HttpConnectionFactory h1 = new HttpConnectionFactory(http);
        connector = new ServerConnector(server, new SslConnectionFactory(tls, h1.getProtocol()), h1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                RenewalRequest body = JSON.readValue(Content.Source.asString(request, StandardCharsets.UTF_8), RenewalRequest.class);
                X509Certificate client = ((EndPoint.SslSessionData) request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE)).peerCertificates()[0];
                PublicKey key;
                try (PEMParser p = new PEMParser(new StringReader(body.csrPem()))) {
                    key = new JcaPKCS10CertificationRequest((PKCS10CertificationRequest) p.readObject()).getPublicKey();
                }
                asked.add(key);
                X509Certificate cert = issued.computeIfAbsent(key, k -> sign(client.getSubjectX500Principal(), k));
                if (drop.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    request.getConnectionMetaData().getConnection().getEndPoint().close();
                    callback.failed(new IOException("answer lost"));
                    return true;
                }
                byte[] answer = JSON.writeValueAsBytes(new RenewalResponse(ConnectorIdentity.pem("CERTIFICATE", cert.getEncoded()),
                        cert.getNotAfter().toInstant(), Instant.now().plus(Duration.ofHours(1))));
                response.getHeaders().put("Content-Type", "application/json");
                response.write(true, ByteBuffer.wrap(answer), callback);
                return true;
            }
        });
        server.start();
    }

    /** A connector identity registered with this server (its key and certificate from the test CA), stored in {@code dir}. */
    ConnectorIdentity register(Path dir) throws Exception {
        KeyPair kp = keys();
        ConnectorIdentity id = new ConnectorIdentity("c-" + serials.incrementAndGet(), "https://127.0.0.1:" + port(), tunnelUrl().toString()
                .replace("https://", "wss://"), kp.getPrivate(), sign(new X500Principal("CN=c1,OU=connector"),
                kp.getPublic()), ca);
        id.save(dir);
        return id;
    }

    URI tunnelUrl() {
        return URI.create("https://127.0.0.1:" + port() + "/connector/v1/tunnel");
    }

    int port() {
        return connector.getLocalPort();
    }

    /** A client presenting {@code id}'s certificate, trusting only its server CA, as the connector's tunnel client does. */
    static HttpClient clientOf(ConnectorIdentity id) throws Exception {
        SslContextFactory.Client tls = Clients.serverTls();
        tls.setKeyStore(id.keyStore("pw".toCharArray()));
        tls.setKeyStorePassword("pw");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", id.serverCa());
        tls.setTrustStore(trust);
        HttpClient http = Clients.httpClient(tls);
        http.start();
        return http;
    }

    private X509Certificate sign(X500Principal subject, PublicKey key) {
        try {
            return sign(X500Name.getInstance(subject.getEncoded()), key, null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private X509Certificate sign(X500Name subject, PublicKey key, GeneralNames san) throws Exception {
        Instant now = Instant.now();
        X500Name issuer = ca == null ? subject : X500Name.getInstance(ca.getSubjectX500Principal().getEncoded());
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(serials.incrementAndGet()),
                Date.from(now.minusSeconds(300)), Date.from(now.plus(Duration.ofDays(365))), subject, key);
        if (ca == null) {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        }
        if (san != null) {
            b.addExtension(Extension.subjectAlternativeName, false, san);
        }
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
    }

    static KeyPair keys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
