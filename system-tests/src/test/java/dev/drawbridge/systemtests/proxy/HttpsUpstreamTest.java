package dev.drawbridge.systemtests.proxy;

import dev.drawbridge.proxy.pki.CertificateAuthority;
import dev.drawbridge.proxy.pki.Pem;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Internal apps over HTTPS: a connector trusting the app's private CA (--upstream-ca) reaches it;
 * a connector that does not trust it refuses the connection and the user gets a clear 502.
 */
class HttpsUpstreamTest {
    @TempDir
    static Path dir;
    static Server internal;
    static DrawbridgeStack stack;
    static Path caPem;

    @BeforeAll
    static void start() throws Exception {
        CertificateAuthority corpCa = CertificateAuthority.create("Corp Internal CA", Duration.ofDays(30), Clock.systemUTC());
        KeyPair kp = CertificateAuthority.newKeyPair();
        var cert = corpCa.issueServerCertificate(kp.getPublic(), List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(30));
        caPem = dir.resolve("corp-ca.pem");
        Files.writeString(caPem, Pem.encode(corpCa.certificate()));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("k", kp.getPrivate(), "pw".toCharArray(), new Certificate[]{cert, corpCa.certificate()});
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(ks);
        tls.setKeyStorePassword("pw");
        internal = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
        ServerConnector c = new ServerConnector(internal, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(http));
        c.setHost("127.0.0.1");
        internal.addConnector(c);
        internal.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.getHeaders().put("Content-Type", "text/plain");
                response.write(true, ByteBuffer.wrap(("secure hello, secure=" + request.isSecure())
                        .getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        internal.start();
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        stack.publish("Secure app", "secure", URI.create("https://localhost:" + c.getLocalPort() + "/"));
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
        internal.stop();
    }

    @Test
    void connectorTrustingTheInternalCaReachesAnHttpsApp() throws Exception {
        var untrusting = stack.startConnector(dir.resolve("plain"), 1);
        var refused = stack.http().newRequest(URI.create(stack.externalUrl("secure"))).timeout(20, TimeUnit.SECONDS).send();
        assertThat(refused.getStatus()).isEqualTo(502);
        assertThat(refused.getContentAsString()).contains("could not connect");
        untrusting.close();

        stack.startConnector(dir.resolve("trusting"), 1, Optional.of(caPem));
        var ok = stack.http().newRequest(URI.create(stack.externalUrl("secure"))).timeout(20, TimeUnit.SECONDS).send();
        assertThat(ok.getStatus()).isEqualTo(200);
        assertThat(ok.getContentAsString()).isEqualTo("secure hello, secure=true");
    }
}
