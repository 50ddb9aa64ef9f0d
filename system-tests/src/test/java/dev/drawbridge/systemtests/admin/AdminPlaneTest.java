package dev.drawbridge.systemtests.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.connector.Connector;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.pki.CertificateAuthority;
import dev.drawbridge.proxy.pki.Pem;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemWriter;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin plane's own resources: custom-domain certificates, connector events, app tests, sign-in statistics. */
class AdminPlaneTest {
    @TempDir
    static Path dir;
    static SampleApp app;
    static DrawbridgeStack stack;
    static final CertificateAuthority CONTOSO = CertificateAuthority.create("Contoso Test Root", Duration.ofDays(30), Clock.systemUTC());

    @BeforeAll
    static void start() throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        stack.startConnector(dir.resolve("c1"), 1);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
        app.close();
    }

    @Test
    void anUploadedCertificateServesACustomDomain() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair key = rsa.generateKeyPair();
        X509Certificate leaf = CONTOSO.issueServerCertificate(key.getPublic(), List.of("hr.contoso.test"), List.of(), Duration.ofDays(20));
        String pem = Pem.encode(leaf) + Pem.encode(CONTOSO.certificate()) + pkcs8(key.getPrivate());

        // Before the upload the custom host cannot be published.
        String url = "https://hr.contoso.test:" + stack.server().publicPort() + "/";
        var refused = stack.api("POST", "apps", new AppSpec("Contoso HR", url, app.baseUri().toString(), null, null, null, PreAuthentication.PASSTHROUGH));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().path("errors").get(0).path("field").asText()).isEqualTo("externalUrl");

        var uploaded = stack.api("POST", "certificates", Map.of("pem", pem));
        assertThat(uploaded.status()).as(String.valueOf(uploaded.body())).isEqualTo(201);
        assertThat(uploaded.body().path("hosts").get(0).asText()).isEqualTo("hr.contoso.test");
        assertThat(uploaded.body().path("daysLeft").asInt()).isBetween(18, 20);
        assertThat(uploaded.body().toString()).doesNotContain("PRIVATE");
        assertThat(stack.api("POST", "certificates", Map.of("pem", pem)).status()).isEqualTo(400);

        // A certificate alone does not make a custom domain: the domain is added first (docs/admin.md).
        var stillRefused = stack.api("POST", "apps", new AppSpec("Contoso HR", url, app.baseUri().toString(), null, null, null,
                PreAuthentication.PASSTHROUGH));
        assertThat(stillRefused.status()).isEqualTo(400);
        assertThat(stillRefused.body().path("errors").get(0).path("message").asText()).contains("custom domain added first");
        assertThat(stack.api("POST", "domains", Map.of("name", "contoso.test")).status()).isEqualTo(201);
        var published = stack.api("POST", "apps", new AppSpec("Contoso HR", url, app.baseUri().toString(), null, null, null,
                PreAuthentication.PASSTHROUGH));
        assertThat(published.status()).as(String.valueOf(published.body())).isEqualTo(201);

        // The TLS listener presents the uploaded chain for the custom name.
        SSLContext ctx = SSLContext.getInstance("TLS");
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", CONTOSO.certificate());
        tmf.init(trust);
        ctx.init(null, tmf.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) ctx.getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), stack.server().publicPort())) {
            SSLParameters params = socket.getSSLParameters();
            params.setServerNames(List.of(new SNIHostName("hr.contoso.test")));
            socket.setSSLParameters(params);
            socket.startHandshake();
            assertThat(((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber()).isEqualTo(leaf.getSerialNumber());
        }
        // A client that trusts only Contoso's root (so the server must present the uploaded chain) reaches the app.
        HttpClient contoso = clientTrusting(CONTOSO.certificate());
        try {
            ContentResponse r = contoso.newRequest(URI.create(url + "echo/custom")).timeout(20, TimeUnit.SECONDS).send();
            assertThat(r.getStatus()).isEqualTo(200);
            assertThat(r.getContentAsString()).contains("/echo/custom");
        } finally {
            contoso.stop();
        }

        // Deleting the certificate takes it out of service.
        assertThat(stack.api("DELETE", "certificates/" + uploaded.body().path("id").asText(), null).status()).isEqualTo(204);
        assertThat(stack.api("GET", "certificates", null).body().size()).isZero();
        JsonNode audit = stack.api("GET", "audit-logs?targetType=certificate", null).body();
        assertThat(audit.path("items").findValuesAsText("action")).contains("certificate.upload", "certificate.delete");
    }

    @Test
    void badCertificateUploadsNameTheField() throws Exception {
        KeyPair key = CertificateAuthority.newKeyPair();
        KeyPair other = CertificateAuthority.newKeyPair();
        X509Certificate leaf = CONTOSO.issueServerCertificate(key.getPublic(), List.of("mismatch.contoso.test"), List.of(), Duration.ofDays(5));
        var mismatch = stack.api("POST", "certificates", Map.of("pem", Pem.encode(leaf) + pkcs8(other.getPrivate())));
        assertThat(mismatch.status()).isEqualTo(400);
        assertThat(mismatch.body().path("errors").get(0).path("field").asText()).isEqualTo("pem");
        assertThat(mismatch.body().path("detail").asText()).contains("matches the private key");

        var noKey = stack.api("POST", "certificates", Map.of("pem", Pem.encode(leaf)));
        assertThat(noKey.body().path("detail").asText()).contains("PRIVATE KEY");

        KeyStore p12 = KeyStore.getInstance("PKCS12");
        p12.load(null, null);
        p12.setKeyEntry("k", key.getPrivate(), "right".toCharArray(), new Certificate[]{leaf, CONTOSO.certificate()});
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        p12.store(bytes, "right".toCharArray());
        String b64 = Base64.getEncoder().encodeToString(bytes.toByteArray());
        var wrongPassword = stack.api("POST", "certificates", Map.of("pkcs12", b64, "password", "wrong"));
        assertThat(wrongPassword.status()).isEqualTo(400);
        assertThat(wrongPassword.body().path("errors").get(0).path("field").asText()).isEqualTo("password");
        var ok = stack.api("POST", "certificates", Map.of("pkcs12", b64, "password", "right"));
        assertThat(ok.status()).as(String.valueOf(ok.body())).isEqualTo(201);
        assertThat(ok.body().path("hosts").get(0).asText()).isEqualTo("mismatch.contoso.test");
        stack.api("DELETE", "certificates/" + ok.body().path("id").asText(), null);

        var neither = stack.api("POST", "certificates", "{}");
        assertThat(neither.status()).isEqualTo(400);
    }

    @Test
    void connectorEventsTellTheStory() throws Exception {
        Connector c = stack.startConnector(dir.resolve("c2"), 2);
        String id = c.connectorId();
        c.close();
        awaitEvent(id, "DISCONNECTED");
        var revoked = stack.api("POST", "connectors/" + id + "/revoke", "{}");
        assertThat(revoked.status()).isEqualTo(200);
        JsonNode events = stack.api("GET", "connector-events?connectorId=" + id, null).body();
        assertThat(events.path("items").findValuesAsText("type")).containsExactly("REVOKED", "DISCONNECTED", "CONNECTED", "REGISTERED");
        assertThat(events.path("items").get(3).path("detail").asText()).contains("host ");
        assertThat(events.path("items").get(0).path("detail").asText()).contains("revoked by admin");
        assertThat(stack.api("GET", "connector-events?type=REVOKED", null).body().path("total").asInt()).isEqualTo(1);
        assertThat(stack.api("GET", "connectors?status=REVOKED", null).body().path("items").findValuesAsText("id")).containsExactly(id);
    }

    @Test
    void testingAnAppGoesThroughAConnector() throws Exception {
        // Under echo/tested/, not echo/: Contoso HR's requests to echo/custom on the same backend must not fall under it.
        String good = stack.api("POST", "apps", new AppSpec("Tested", stack.externalUrl("tested"), app.baseUri() + "echo/tested/", null,
                null, null, PreAuthentication.PASSTHROUGH)).body().path("id").asText();
        JsonNode ok = stack.api("POST", "apps/" + good + "/test", "{}").body();
        assertThat(ok.path("status").asInt()).isEqualTo(200);
        assertThat(ok.path("latencyMs").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(ok.path("connectorId").asText()).isEqualTo(stack.connectors().get(0).connectorId());
        assertThat(ok.path("error").isNull()).isTrue();

        String bad = stack.api("POST", "apps", new AppSpec("Unreachable", stack.externalUrl("unreachable"), "http://127.0.0.1:1/", null, null, null,
                PreAuthentication.PASSTHROUGH)).body().path("id").asText();
        JsonNode failed = stack.api("POST", "apps/" + bad + "/test", "{}").body();
        assertThat(failed.path("status").isNull()).isTrue();
        assertThat(failed.path("error").asText()).contains("could not connect");
    }

    @Test
    void signInStatisticsCountPerHour() throws Exception {
        stack.api("POST", "users", Map.of("upn", "stats@corp.example", "displayName", "Stats", "password", "correct horse battery"));
        stack.api("POST", "auth/token", Map.of("username", "stats@corp.example", "password", "wrong"));
        JsonNode stats = stack.api("GET", "stats/sign-ins?hours=6", null).body();
        assertThat(stats.path("buckets").size()).isEqualTo(6);
        assertThat(stats.path("buckets").get(5).path("denied").asInt()).isPositive();
        assertThat(stack.api("GET", "stats/sign-ins?hours=0", null).status()).isEqualTo(400);
    }

    private static void awaitEvent(String connectorId, String type) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (stack.api("GET", "connector-events?connectorId=" + connectorId + "&type=" + type, null).body().path("total").asInt() > 0) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + type + " event for " + connectorId);
    }

    private static String pkcs8(PrivateKey key) throws Exception {
        StringWriter w = new StringWriter();
        try (PemWriter pw = new PemWriter(w)) {
            pw.writeObject(new JcaPKCS8Generator(key, null).generate());
        }
        return w.toString();
    }

    private static HttpClient clientTrusting(X509Certificate ca) throws Exception {
        SslContextFactory.Client tls = new SslContextFactory.Client();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca);
        tls.setTrustStore(ks);
        ClientConnector cc = new ClientConnector();
        cc.setSslContextFactory(tls);
        HttpClient http = new HttpClient(new HttpClientTransportOverHTTP(cc));
        // Every name resolves to loopback, keeping the name: Jetty takes the TLS peer host (and so SNI) from the address.
        http.setSocketAddressResolver((host, port, ctx, promise) -> {
            try {
                promise.succeeded(List.of(new InetSocketAddress(InetAddress.getByAddress(host, new byte[]{127, 0, 0, 1}), port)));
            } catch (UnknownHostException e) {
                promise.failed(e);
            }
        });
        http.start();
        return http;
    }
}
