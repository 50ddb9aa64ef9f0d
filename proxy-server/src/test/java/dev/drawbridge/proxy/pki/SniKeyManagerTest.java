package dev.drawbridge.proxy.pki;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Proves {@link SniKeyManager} in real TLS handshakes (in-memory SSLEngine pairs, as Jetty uses, and a socket on
 * an ephemeral loopback port): a client asking for a host under the domain gets a leaf naming exactly that host,
 * issued by the server CA and accepted with hostname verification; any other name, or none, gets the default
 * certificate.
 */
@Timeout(30)
class SniKeyManagerTest {
    private static final CertificateAuthority CA = CertificateAuthority.create("SNI Test CA", Duration.ofDays(30), CertificateAuthorityTest.CLOCK);

    private final SniKeyManager keyManager = SniKeyManager.forPublicListener(CA, "localhost", new OwnHosts("admin.localhost", "login.localhost"));
    private final SSLContext server = context(keyManager);
    private final SSLContext client = context(null);

    private static SSLContext context(KeyManager km) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", CA.certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(km == null ? null : new KeyManager[]{km}, tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static SSLParameters clientParameters(SSLParameters p, String sni, boolean verifyHost) {
        p.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        p.setEndpointIdentificationAlgorithm(verifyHost ? "HTTPS" : null);
        return p;
    }

    /** Runs a handshake between two SSLEngines in memory; returns the chain the client received. */
    private X509Certificate[] engineHandshake(String sni, boolean verifyHost) throws Exception {
        SSLEngine c = client.createSSLEngine(sni, 443);
        c.setUseClientMode(true);
        c.setSSLParameters(clientParameters(c.getSSLParameters(), sni, verifyHost));
        SSLEngine s = server.createSSLEngine();
        s.setUseClientMode(false);
        int packet = c.getSession().getPacketBufferSize() * 4;
        int app = c.getSession().getApplicationBufferSize() * 2;
        ByteBuffer c2s = ByteBuffer.allocate(packet), s2c = ByteBuffer.allocate(packet);
        ByteBuffer cApp = ByteBuffer.allocate(app), sApp = ByteBuffer.allocate(app);
        c.beginHandshake();
        s.beginHandshake();
        for (int i = 0; i < 200 && !(done(c) && done(s)); i++) {
            step(c, c2s, s2c, cApp);
            step(s, s2c, c2s, sApp);
        }
        assertThat(done(c) && done(s)).as("handshake completed").isTrue();
        return toX509(c.getSession().getPeerCertificates());
    }

    private static boolean done(SSLEngine e) {
        HandshakeStatus hs = e.getHandshakeStatus();
        return hs == HandshakeStatus.NOT_HANDSHAKING || hs == HandshakeStatus.FINISHED;
    }

    private static void step(SSLEngine e, ByteBuffer out, ByteBuffer in, ByteBuffer app) throws Exception {
        switch (e.getHandshakeStatus()) {
            case NEED_WRAP -> e.wrap(ByteBuffer.allocate(0), out);
            case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                in.flip();
                e.unwrap(in, app);
                in.compact();
            }
            case NEED_TASK -> {
                Runnable task;
                while ((task = e.getDelegatedTask()) != null) {
                    task.run();
                }
            }
            default -> {
            }
        }
    }

    private static X509Certificate[] toX509(Certificate[] chain) {
        X509Certificate[] out = new X509Certificate[chain.length];
        for (int i = 0; i < chain.length; i++) {
            out[i] = (X509Certificate) chain[i];
        }
        return out;
    }

    private static List<Object> dnsNames(X509Certificate cert) throws Exception {
        Collection<List<?>> sans = cert.getSubjectAlternativeNames();
        return sans.stream().filter(n -> (Integer) n.get(0) == 2).map(n -> (Object) n.get(1)).toList();
    }

    private static void assertIssuedByCa(X509Certificate leaf) throws Exception {
        leaf.verify(CA.certificate().getPublicKey());
        assertThat(leaf.getIssuerX500Principal()).isEqualTo(CA.certificate().getSubjectX500Principal());
        leaf.checkValidity();
    }

    @Test
    void hostUnderTheDomainGetsItsOwnCertificate() throws Exception {
        X509Certificate[] chain = engineHandshake("app.localhost", true);
        assertThat(dnsNames(chain[0])).containsExactly("app.localhost");
        assertIssuedByCa(chain[0]);
    }

    @Test
    void certificatesAreIssuedPerHostAndCached() throws Exception {
        X509Certificate a1 = engineHandshake("a.localhost", true)[0];
        X509Certificate b = engineHandshake("B.LocalHost", true)[0];
        X509Certificate a2 = engineHandshake("a.localhost", true)[0];
        assertThat(dnsNames(b)).containsExactly("b.localhost");
        assertThat(a2).isEqualTo(a1);
        assertThat(b.getSerialNumber()).isNotEqualTo(a1.getSerialNumber());
    }

    @Test
    void hostOutsideTheDomainGetsTheDefaultCertificate() throws Exception {
        X509Certificate other = engineHandshake("app.example.com", false)[0];
        X509Certificate lookalike = engineHandshake("evillocalhost", false)[0];
        X509Certificate suffixed = engineHandshake("app.localhost.example.com", false)[0];
        X509Certificate none = engineHandshake(null, false)[0];
        assertThat(dnsNames(other)).contains("*.localhost", "localhost").doesNotContain("app.example.com");
        assertIssuedByCa(other);
        assertThat(lookalike).isEqualTo(other);
        assertThat(suffixed).isEqualTo(other);
        assertThat(none).isEqualTo(other);
        assertThatThrownBy(() -> engineHandshake("app.example.com", true)).as("hostname verification fails")
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void otherDomainsAreServedByName() throws Exception {
        SniKeyManager km = SniKeyManager.forPublicListener(CA, "Apps.Example.com", new OwnHosts("admin.apps.example.com", "login.apps.example.com"));
        SSLContext ctx = context(km);
        SSLEngine probe = ctx.createSSLEngine();
        assertThat(km.chooseEngineServerAlias("RSA", null, probe)).as("only EC keys").isNull();
        assertThat(dnsNames(km.getCertificateChain(null)[0])).contains("*.apps.example.com", "apps.example.com");
        assertThat(dnsNames(km.getCertificateChain("hr.apps.example.com")[0])).containsExactly("hr.apps.example.com");
        assertThat(km.getCertificateChain("hr.apps.example.com")[1]).isEqualTo(CA.certificate());
    }

    @Test
    void socketHandshakeUsesSniToo() throws Exception {
        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> accepted = CompletableFuture.runAsync(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.startHandshake();
                    try (InputStream in = s.getInputStream()) {
                        in.read(); // until the client closes
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket(listener.getInetAddress(), listener.getLocalPort())) {
                s.setSoTimeout(10_000);
                s.setSSLParameters(clientParameters(s.getSSLParameters(), "sock.localhost", true));
                s.startHandshake();
                X509Certificate leaf = (X509Certificate) s.getSession().getPeerCertificates()[0];
                assertThat(dnsNames(leaf)).containsExactly("sock.localhost");
                assertIssuedByCa(leaf);
            }
            accepted.get(10, TimeUnit.SECONDS);
        }
    }
}
