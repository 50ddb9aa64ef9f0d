package dev.drawbridge.systemtests.connector;

import dev.drawbridge.connector.Connector;
import dev.drawbridge.connector.identity.Registration;
import dev.drawbridge.model.api.ConnectorStatus;
import dev.drawbridge.model.api.RegistrationTokenView;
import dev.drawbridge.proxy.pki.CertificateAuthority;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.time.MutableClock;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Who may open a tunnel: only a connector holding a certificate from registration. No certificate,
 * a certificate from another CA, a revoked connector, an expired / reused / unknown registration
 * token, and a wrong CA pin are all refused.
 */
class ConnectorSecurityTest {
    @TempDir
    static Path dir;
    static SampleApp app;
    static DrawbridgeStack stack;
    static MutableClock clock = new MutableClock();
    static String url;

    @BeforeAll
    static void start() throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")).withClock(clock));
        url = stack.publish("Sample", "sample", app.baseUri());
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
        app.close();
    }

    private static SSLSocket tunnelSocket(KeyStore clientKeys, char[] pw) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", stack.server().serverCaCertificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(clientKeys, pw);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(clientKeys == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", stack.server().tunnelPort());
        s.setSoTimeout(10_000);
        return s;
    }

    /** Sends an HTTP request over the socket; true if any response byte came back. */
    private static boolean answered(SSLSocket s) throws Exception {
        try (s) {
            s.startHandshake();
            s.getOutputStream().write("GET /connector/v1/tunnel HTTP/1.1\r\nHost: admin.localhost\r\n\r\n".getBytes());
            s.getOutputStream().flush();
            return s.getInputStream().read() >= 0;
        }
    }

    @Test
    void tunnelPortRefusesClientsWithoutACertificate() throws Exception {
        KeyStore empty = KeyStore.getInstance("PKCS12");
        empty.load(null, null);
        assertThatThrownBy(() -> answered(tunnelSocket(empty, new char[0]))).isInstanceOf(IOException.class);
    }

    @Test
    void tunnelPortRefusesACertificateFromAnotherCa() throws Exception {
        CertificateAuthority rogue = CertificateAuthority.create("Rogue CA", Duration.ofDays(1), Clock.systemUTC());
        KeyPair kp = CertificateAuthority.newKeyPair();
        X509Certificate cert = rogue.issueServerCertificate(kp.getPublic(), List.of("connector"), List.of(), Duration.ofDays(1));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pw = "x".toCharArray();
        ks.setKeyEntry("k", kp.getPrivate(), pw, new Certificate[]{cert, rogue.certificate()});
        assertThatThrownBy(() -> answered(tunnelSocket(ks, pw))).isInstanceOf(IOException.class);
    }

    @Test
    void registrationTokensAreOneTimeAndShortLived() throws Exception {
        RegistrationTokenView t = stack.registrationToken(null, 5);
        String pin = t.serverCaSha256();
        Path state = dir.resolve("once");
        Registration.register(stack.adminUrl(), t.token(), pin, "test").save(state);
        for (String f : List.of("connector.key", "connector.crt", "connector.properties")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve(f)))).isEqualTo("rw-------");
        }
        assertThatThrownBy(() -> Registration.register(stack.adminUrl(), t.token(), pin, "test"))
                .hasMessageContaining("invalid, expired or already used")
                .satisfies(e -> assertThat(((Registration.RegistrationException) e).retryable()).isFalse());

        RegistrationTokenView expiring = stack.registrationToken(null, 1);
        clock.advance(Duration.ofMinutes(2));
        assertThatThrownBy(() -> Registration.register(stack.adminUrl(), expiring.token(), pin, "test"))
                .hasMessageContaining("invalid, expired or already used");

        assertThatThrownBy(() -> Registration.register(stack.adminUrl(), "dbreg_made-up", pin, "test"))
                .hasMessageContaining("invalid, expired or already used");
    }

    @Test
    void aWrongCaPinIsRefusedBeforeTheTokenIsSent() throws Exception {
        RegistrationTokenView t = stack.registrationToken(null, 5);
        assertThatThrownBy(() -> Registration.register(stack.adminUrl(), t.token(), "00".repeat(32), "test"))
                .hasMessageContaining("TLS");
        // The token was never presented, so it still works.
        Registration.register(stack.adminUrl(), t.token(), t.serverCaSha256(), "test");
    }

    @Test
    void revokingAConnectorCutsItsTunnelsAndRefusesItAfterwards() throws Exception {
        Connector c = stack.startConnector(dir.resolve("revoked"), 2);
        assertThat(stack.http().newRequest(URI.create(url + "echo/ok")).timeout(20, TimeUnit.SECONDS).send().getStatus()).isEqualTo(200);
        assertThat(stack.adminApi().connectors().revoke(c.connectorId()).status()).isEqualTo(ConnectorStatus.REVOKED);
        assertThat(stack.server().registry().tunnelCount(c.connectorId())).isZero();
        assertThat(c.permanentFailure().get(20, TimeUnit.SECONDS)).contains("register again");
        assertThat(c.connectedTunnels()).isZero();
        assertThat(stack.http().newRequest(URI.create(url + "echo/after")).timeout(20, TimeUnit.SECONDS).send().getStatus()).isEqualTo(502);
    }

    @Test
    void adminApiRefusesRequestsWithoutTheAdminCredential() throws Exception {
        HttpClient http = stack.http();
        var none = http.newRequest(stack.adminUrl().resolve("/api/v1/apps")).timeout(10, TimeUnit.SECONDS).send();
        assertThat(none.getStatus()).isEqualTo(401);
        var wrong = http.newRequest(stack.adminUrl().resolve("/api/v1/apps")).timeout(10, TimeUnit.SECONDS)
                .headers(h -> h.put("Authorization", "Bearer " + stack.adminToken() + "x")).send();
        assertThat(wrong.getStatus()).isEqualTo(401);
        assertThat(wrong.getContentAsString()).doesNotContain(stack.adminToken());
    }

}
