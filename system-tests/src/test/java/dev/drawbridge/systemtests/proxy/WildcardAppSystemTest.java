package dev.drawbridge.systemtests.proxy;

import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.pki.CertificateAuthority;
import dev.drawbridge.proxy.pki.Pem;
import dev.drawbridge.testsupport.signin.SignInForms;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.Https;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemWriter;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A wildcard app end to end through the real stack (TLS, routing, tunnel, connector, one recording backend): published
 * as {@code https://*.apps.localhost/} → {@code http://*.localhost:<port>/} on the custom domain {@code apps.localhost},
 * refused until the domain is added; with the domain's wildcard certificate (from a CA of the test's own, uploaded
 * through {@code /domains}) a TLS client that trusts only that CA and checks the host name reaches two different
 * internal hosts, each backend request carrying the host whose label the client used; an exact app on one host of the
 * domain wins over the wildcard; a host two labels deep reaches no app; a path the backend would read as another
 * label's cannot be written (the label is in the host, never in the path).
 */
class WildcardAppSystemTest {
    static final CertificateAuthority CONTOSO = CertificateAuthority.create("Contoso Public Root", Duration.ofDays(30), Clock.systemUTC());

    @TempDir
    static Path dir;
    static DrawbridgeStack stack;
    static Server backend;
    static int backendPort;
    static RawTls contosoClient;

    @BeforeAll
    static void start() throws Exception {
        backend = new Server();
        ServerConnector c = new ServerConnector(backend);
        c.setHost("127.0.0.1");
        c.setPort(0);
        backend.addConnector(c);
        backend.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String body = "host=" + request.getHeaders().get("Host") + " path=" + request.getHttpURI().getPath();
                response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        backend.start();
        backendPort = c.getLocalPort();
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        stack.startConnector(dir.resolve("connector"), 1);
        contosoClient = new RawTls(CONTOSO.certificate(), stack.server().publicPort());
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
        backend.stop();
    }

    static DrawbridgeStack.ApiAnswer createApp(String name, String external, String internal) throws Exception {
        return stack.api("POST", "apps", new AppSpec(name, external, internal, null, null, null, PreAuthentication.PASSTHROUGH, null, null));
    }

    static String pem(String... names) throws Exception {
        KeyPair key = CertificateAuthority.newKeyPair();
        X509Certificate leaf = CONTOSO.issueServerCertificate(key.getPublic(), List.of(names), List.of(), Duration.ofDays(20));
        StringWriter w = new StringWriter();
        try (PemWriter pw = new PemWriter(w)) {
            pw.writeObject(new JcaPKCS8Generator(key.getPrivate(), null).generate());
        }
        return Pem.encode(leaf) + Pem.encode(CONTOSO.certificate()) + w;
    }

    @Test
    void aWildcardAppCarriesEachLabelToItsInternalHostUnderItsWildcardCertificate() throws Exception {
        int port = stack.server().publicPort();
        String external = "https://*.apps.localhost:" + port + "/";
        String internal = "http://*.localhost:" + backendPort + "/";

        DrawbridgeStack.ApiAnswer refused = createApp("wild", external, internal);
        assertThat(refused.status()).as(String.valueOf(refused.body())).isEqualTo(400);
        assertThat(refused.body().path("errors").findValuesAsText("field")).contains("externalUrl");

        DrawbridgeStack.ApiAnswer domain = stack.api("POST", "domains", Map.of("name", "Apps.Localhost."));
        assertThat(domain.status()).as(String.valueOf(domain.body())).isEqualTo(201);
        assertThat(domain.body().path("name").asText()).isEqualTo("apps.localhost");
        String domainId = domain.body().path("id").asText();

        DrawbridgeStack.ApiAnswer created = createApp("wild", external, internal);
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
        assertThat(created.body().path("externalUrl").asText()).isEqualTo(external);
        assertThat(stack.api("GET", "domains/" + domainId, null).body().path("hostsWithoutCertificate").toString())
                .contains("*.apps.localhost");
        assertThat(stack.api("GET", "domains/" + domainId, null).body().path("status").asText()).isEqualTo("CERTIFICATE_MISSING");

        DrawbridgeStack.ApiAnswer cert = stack.api("PUT", "domains/" + domainId + "/certificate", Map.of("pem", pem("*.apps.localhost")));
        assertThat(cert.status()).as(String.valueOf(cert.body())).isEqualTo(200);
        assertThat(cert.body().path("status").asText()).isEqualTo("READY");
        assertThat(cert.body().path("hostsWithoutCertificate").size()).isZero();

        // The client trusts Contoso only and checks the host name: the wildcard certificate is served for each label.
        String one = contosoClient.get("127.0.0.1", new byte[0], "one.apps.localhost", "/a/b");
        String two = contosoClient.get("127.0.0.1", new byte[0], "Two.Apps.Localhost", "/c");
        assertThat(one).as("one").isNotNull();
        assertThat(RawTls.status(one)).as(one).isEqualTo(200);
        assertThat(one).contains("host=one.localhost:" + backendPort + " path=/a/b");
        assertThat(two).as("two").isNotNull();
        assertThat(RawTls.status(two)).as(two).isEqualTo(200);
        assertThat(two).contains("host=two.localhost:" + backendPort + " path=/c");

        // An exact app on one host of the domain wins, whatever the path.
        DrawbridgeStack.ApiAnswer exact = createApp("exact", "https://hr.apps.localhost:" + port + "/hr/", "http://exact.localhost:" + backendPort + "/");
        assertThat(exact.status()).as(String.valueOf(exact.body())).isEqualTo(201);
        String hr = contosoClient.get("127.0.0.1", new byte[0], "hr.apps.localhost", "/hr/x");
        assertThat(hr).contains("host=exact.localhost:" + backendPort + " path=/x");
        String hrOther = contosoClient.get("127.0.0.1", new byte[0], "hr.apps.localhost", "/other");
        assertThat(RawTls.status(hrOther)).as(hrOther).isEqualTo(404);
        assertThat(hrOther).doesNotContain("host=");

        // Two labels deep: no app (and no certificate covers it either: a client checking names refuses the handshake).
        assertThat(contosoClient.get("127.0.0.1", new byte[0], "a.b.apps.localhost", "/")).isNull();

        // The domain cannot go while apps are on it.
        DrawbridgeStack.ApiAnswer delete = stack.api("DELETE", "domains/" + domainId, null);
        assertThat(delete.status()).isEqualTo(409);
    }

    /**
     * A pre-authenticated wildcard app: the sign-in returns to the host the user opened (the sign-in host names the app's
     * instance, id@label), a second host signs in from the sign-in session, My Apps lists the app without a link, and one
     * host's app session cookie is worth nothing on another host of the same app (its audience is the matched host).
     */
    @Test
    void signInReturnsToTheMatchedHostAndASessionCookieHoldsForThatHostOnly() throws Exception {
        int port = stack.server().publicPort();
        String domainId = stack.api("POST", "domains", Map.of("name", "pre.localhost")).body().path("id").asText();
        assertThat(stack.api("PUT", "domains/" + domainId + "/certificate", Map.of("pem", pem("*.pre.localhost"))).status()).isEqualTo(200);
        DrawbridgeStack.ApiAnswer app = stack.api("POST", "apps", new AppSpec("wild-sso", "https://*.pre.localhost:" + port + "/",
                "http://*.localhost:" + backendPort + "/", null, null, null, PreAuthentication.DIRECTORY,
                new AccessSettings(false, true, true, false), null, null));
        assertThat(app.status()).as(String.valueOf(app.body())).isEqualTo(201);
        stack.createUser("wild@corp.example", "Wild", "correct horse battery staple");
        HttpClient browser = Https.client(List.of(stack.server().serverCaCertificate(), CONTOSO.certificate()), true, Optional.empty());
        try {
            ContentResponse one = SignInForms.signIn(browser, "https://one.pre.localhost:" + port + "/x", stack.externalUrl("login"),
                    "wild@corp.example", "correct horse battery staple");
            assertThat(one.getStatus()).as(one.getContentAsString()).isEqualTo(200);
            assertThat(one.getContentAsString()).isEqualTo("host=one.localhost:" + backendPort + " path=/x");
            assertThat(one.getRequest().getURI().getHost()).isEqualTo("one.pre.localhost");

            ContentResponse two = SignInForms.open(browser, "https://two.pre.localhost:" + port + "/y");
            assertThat(two.getStatus()).as(two.getContentAsString()).isEqualTo(200);
            assertThat(two.getContentAsString()).isEqualTo("host=two.localhost:" + backendPort + " path=/y");

            // My Apps lists the wildcard app by name and pattern, without a link: it has no single address.
            ContentResponse myApps = SignInForms.open(browser, stack.externalUrl("login"));
            assertThat(myApps.getStatus()).isEqualTo(200);
            assertThat(myApps.getContentAsString()).contains("<span class=\"nolink\">wild-sso (https://*.pre.localhost:" + port + "/)</span>")
                    .doesNotContain("href=\"https://*.");

            List<HttpCookie> cookies = browser.getHttpCookieStore().match(URI.create("https://one.pre.localhost:" + port + "/"));
            HttpCookie session = cookies.stream().filter(c -> c.getName().startsWith("__Host-drawbridge_app_")).findFirst().orElseThrow();
            HttpClient other = Https.client(List.of(stack.server().serverCaCertificate(), CONTOSO.certificate()), false, Optional.empty());
            try {
                ContentResponse replayed = other.newRequest(URI.create("https://three.pre.localhost:" + port + "/z"))
                        .headers(h -> h.put("Cookie", session.getName() + "=" + session.getValue())).timeout(20, TimeUnit.SECONDS).send();
                assertThat(replayed.getStatus()).as(replayed.getContentAsString()).isIn(302, 303, 401);
                assertThat(replayed.getContentAsString()).doesNotContain("host=");
                ContentResponse same = other.newRequest(URI.create("https://one.pre.localhost:" + port + "/z"))
                        .headers(h -> h.put("Cookie", session.getName() + "=" + session.getValue())).timeout(20, TimeUnit.SECONDS).send();
                assertThat(same.getContentAsString()).isEqualTo("host=one.localhost:" + backendPort + " path=/z");
            } finally {
                other.stop();
            }
        } finally {
            browser.stop();
        }
    }
}
