package dev.drawbridge.adminclient;

import dev.drawbridge.adminclient.ServerUnreachableException.Reason;
import dev.drawbridge.model.api.AccessRequestStatus;
import dev.drawbridge.model.api.AdminTokenRequest;
import dev.drawbridge.model.api.AppIconView;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.ConnectorEventType;
import dev.drawbridge.model.api.ConnectorStatus;
import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.Page;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SignInEvent;
import dev.drawbridge.model.api.SignInResult;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HttpAdminApi against a real HTTPS server on port 0: trust, names, credentials, encoding, and every way a call fails. */
class HttpAdminApiTest {
    private static final String APP = """
            {"id":"a1","name":"HR","externalUrl":"https://hr.localhost:8443/","internalUrl":"http://hr.corp:8080/",
             "connectorGroupId":"g1","connectorGroupName":"Default","preAuthentication":"PASSTHROUGH","someNewerField":1}""";

    private TestPki pki;
    private RecordingServer server;

    @BeforeEach
    void start() throws Exception {
        pki = new TestPki("Test server CA");
        server = new RecordingServer(pki.server(List.of("admin.localhost", "localhost")));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private HttpAdminApi client(URI url, KeyStore trust) {
        return HttpAdminApi.to(url).trust(trust).token("secret-token").timeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void aTrustedServerAnswersTypedRecordsAndGetsTheBearerCredential() throws Exception {
        server.answer = RecordingServer.Answer.json(200, APP);
        try (HttpAdminApi api = client(server.url("admin.localhost"), pki.trust())) {
            AppView app = api.apps().get("a1");
            assertThat(app.name()).isEqualTo("HR");
            assertThat(app.id()).isEqualTo("a1");
        }
        RecordingServer.Seen seen = server.last();
        assertThat(seen.method()).isEqualTo("GET");
        assertThat(seen.rawPath()).isEqualTo("/api/v1/apps/a1");
        assertThat(seen.authorization()).isEqualTo("Bearer secret-token");
        // *.localhost reached loopback, and the name stayed the one the certificate (which names no IP for it) was checked against.
        assertThat(seen.host()).isEqualTo("admin.localhost:" + server.port());
    }

    @Test
    void pagedListsAnswerAPageAndSendPagingAndFiltersEncoded() throws Exception {
        server.answer = RecordingServer.Answer.json(200, "{\"items\":[" + APP + "],\"offset\":5,\"limit\":10,\"total\":16}");
        try (HttpAdminApi api = client(server.url("localhost"), pki.trust())) {
            Page<AppView> page = api.apps().list(new Paging(5, 10), new Apps.Filter("a&b=c d"));
            assertThat(page.items()).extracting(AppView::name).containsExactly("HR");
            assertThat(page.total()).isEqualTo(16);
        }
        assertThat(server.last().rawQuery()).isEqualTo("offset=5&limit=10&name=a%26b%3Dc%20d");
    }

    @Test
    void enumFiltersAreSentByTheirNames() throws Exception {
        server.answer = RecordingServer.Answer.json(200, "{\"items\":[],\"offset\":0,\"limit\":100,\"total\":0}");
        try (HttpAdminApi api = client(server.url("localhost"), pki.trust())) {
            api.logs().signIns(Paging.DEFAULT, new Logs.SignInFilter(null, null, SignInResult.DENIED, SignInEvent.ADMIN_SIGN_IN,
                    Instant.parse("2026-05-01T10:00:00Z"), null));
            assertThat(server.last().rawQuery()).isEqualTo("offset=0&limit=100&result=DENIED&event=ADMIN_SIGN_IN&from=2026-05-01T10%3A00%3A00Z");
            api.connectors().list(Paging.DEFAULT, new Connectors.Filter(null, ConnectorStatus.REVOKED));
            assertThat(server.last().rawQuery()).isEqualTo("offset=0&limit=100&status=REVOKED");
            api.connectors().events(Paging.DEFAULT, new Connectors.EventFilter("c1", ConnectorEventType.HEARTBEAT_MISSED, null, null));
            assertThat(server.last().rawQuery()).isEqualTo("offset=0&limit=100&connectorId=c1&type=HEARTBEAT_MISSED");
            server.answer = RecordingServer.Answer.json(200, "[]");
            api.accessRequests().list(new AccessRequests.Filter(AccessRequestStatus.PENDING));
            assertThat(server.last().rawQuery()).isEqualTo("status=PENDING");
        }
    }

    @Test
    void everyIdIsOnePercentEncodedSegment() throws Exception {
        server.answer = new RecordingServer.Answer(204, null, new byte[0], Map.of());
        try (HttpAdminApi api = client(server.url("localhost"), pki.trust())) {
            api.groups().removeMember("g/../../apps", "x%2Fy?z#w");
            assertThat(server.last().rawPath()).isEqualTo("/api/v1/groups/g%2F..%2F..%2Fapps/members/x%252Fy%3Fz%23w");
            assertThat(server.last().rawQuery()).isNull();
            api.apps().unassign("é ü", "USER", "u;1");
            assertThat(server.last().rawPath()).isEqualTo("/api/v1/apps/%C3%A9%20%C3%BC/assignments/USER/u%3B1");
            for (String dots : List.of(".", "..", "")) {
                assertThatThrownBy(() -> api.users().delete(dots)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("id must not be");
            }
            assertThatThrownBy(() -> api.users().delete(null)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(server.seen).hasSize(2);
    }

    @Test
    void theSignInSendsNoBearerCredentialAndOtherCallsSendTheCurrentOne() throws Exception {
        server.answer = RecordingServer.Answer.json(200, """
                {"accessToken":"t2","tokenType":"Bearer","expiresIn":900,"expiresAt":"2026-01-01T00:00:00Z"}""");
        String[] current = {"old-token"};
        try (HttpAdminApi api = HttpAdminApi.to(server.url("localhost")).trust(pki.trust()).token(() -> current[0]).build()) {
            assertThat(api.signIn(new AdminTokenRequest("admin", "pw", null)).accessToken()).isEqualTo("t2");
            assertThat(server.last().authorization()).isNull();
            assertThat(server.last().bodyText()).contains("\"username\":\"admin\"").doesNotContain("mfaCode");
            current[0] = "t2";
            server.answer = RecordingServer.Answer.json(200, "{\"subject\":\"admin\",\"displayName\":\"Admin\",\"roles\":[],\"permissions\":[]}");
            api.me();
            assertThat(server.last().authorization()).isEqualTo("Bearer t2");
            current[0] = null;
            api.me();
            assertThat(server.last().authorization()).isNull();
        }
    }

    @Test
    void problemDocumentsBecomeAdminApiExceptionsWithEveryFieldError() throws Exception {
        server.answer = new RecordingServer.Answer(400, "application/problem+json", """
                {"type":"about:blank","title":"Invalid input","status":400,"detail":"2 fields are invalid",
                 "errors":[{"field":"name","message":"name must not be blank"},{"field":"externalUrl","message":"externalUrl has no scheme"}]}"""
                .getBytes(StandardCharsets.UTF_8), Map.of());
        try (HttpAdminApi api = client(server.url("localhost"), pki.trust())) {
            assertThatThrownBy(() -> api.apps().get("x")).isInstanceOfSatisfying(AdminApiException.class, e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.fromServer()).isTrue();
                assertThat(e.problem().errors()).extracting(f -> f.field()).containsExactly("name", "externalUrl");
                assertThat(e.getMessage()).isEqualTo("Invalid input: 2 fields are invalid\n• name must not be blank\n• externalUrl has no scheme");
            });
        }
    }

    @Test
    void anErrorWithoutAProblemDocumentIsDescribedByItsStatus() throws Exception {
        server.answer = new RecordingServer.Answer(502, "text/html", "<h1>proxy error</h1>".getBytes(StandardCharsets.UTF_8), Map.of());
        try (HttpAdminApi api = client(server.url("localhost"), pki.trust())) {
            assertThatThrownBy(() -> api.me()).isInstanceOfSatisfying(AdminApiException.class, e -> {
                assertThat(e.status()).isEqualTo(502);
                assertThat(e.fromServer()).isFalse();
                assertThat(e.problem().title()).isEqualTo("Bad Gateway");
                assertThat(e.getMessage()).startsWith("Bad Gateway: the server answered without a problem document");
            });
        }
    }

    @Test
    void aSuccessThatIsNotTheApisJsonIsAnUnexpectedAnswer() throws Exception {
        server.answer = new RecordingServer.Answer(200, "text/html", "<html>sign in</html>".getBytes(StandardCharsets.UTF_8), Map.of());
        try (HttpAdminApi api = client(server.url("localhost"), pki.trust())) {
            assertThatThrownBy(() -> api.me()).isInstanceOf(UnexpectedAnswerException.class)
                    .hasMessageStartingWith("the server answered 200 with a body that is not the admin API's JSON")
                    .hasMessageContaining("is " + server.url("localhost") + " the admin URL");
        }
    }

    @Test
    void redirectsAreReportedNeverFollowed() throws Exception {
        server.answer = new RecordingServer.Answer(302, null, new byte[0], Map.of("Location", "https://evil.example/api/v1/me"));
        try (HttpAdminApi api = client(server.url("localhost"), pki.trust())) {
            assertThatThrownBy(() -> api.me()).isInstanceOfSatisfying(UnexpectedAnswerException.class, e -> {
                assertThat(e.redirect()).isTrue();
                assertThat(e.location()).contains("https://evil.example/api/v1/me");
            });
        }
        assertThat(server.seen).hasSize(1);
    }

    @Test
    void singleSignOnSettingsTravelAsJsonAndComeBackTyped() throws Exception {
        server.answer = RecordingServer.Answer.json(200, """
                {"method":"HEADERS","headers":[{"name":"X-Groups","source":"GROUPS","claim":null,"beforeAt":false,"lowerCase":true,
                 "prefix":null,"separator":";"}]}""");
        SsoSettings sent = SsoSettings.headers(List.of(new HeaderRule("X-Groups", HeaderSource.GROUPS, null, false, true, null, ";")));
        try (HttpAdminApi api = client(server.url("localhost"), pki.trust())) {
            assertThat(api.apps().setSso("a/1", sent)).isEqualTo(sent);
            assertThat(server.last().method()).isEqualTo("PUT");
            assertThat(server.last().rawPath()).isEqualTo("/api/v1/apps/a%2F1/sso");
            assertThat(server.last().bodyText()).contains("\"method\":\"HEADERS\"", "\"source\":\"GROUPS\"", "\"separator\":\";\"");
            server.answer = RecordingServer.Answer.json(200, "{\"method\":\"NONE\",\"headers\":[]}");
            assertThat(api.apps().sso("a1").method()).isEqualTo(SsoMethod.NONE);
            assertThat(server.last().method()).isEqualTo("GET");
            assertThat(server.last().rawPath()).isEqualTo("/api/v1/apps/a1/sso");
            // An answer from a server without the field still reads: no method is NONE.
            server.answer = RecordingServer.Answer.json(200, APP);
            assertThat(api.apps().get("a1").ssoMethod()).isEqualTo(SsoMethod.NONE);
        }
    }

    @Test
    void iconsTravelAsTheirBytesAndMediaType() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2};
        server.answer = RecordingServer.Answer.json(200, "{\"contentType\":\"image/png\",\"bytes\":7,\"sha256\":\"ab\"}");
        try (HttpAdminApi api = client(server.url("localhost"), pki.trust())) {
            AppIconView view = api.apps().setIcon("a1", new Icon("image/png", png));
            assertThat(view.bytes()).isEqualTo(7);
            assertThat(server.last().contentType()).isEqualTo("image/png");
            assertThat(server.last().body()).isEqualTo(png);
            server.answer = new RecordingServer.Answer(200, "image/svg+xml", "<svg/>".getBytes(StandardCharsets.UTF_8), Map.of());
            Icon icon = api.apps().icon("a1");
            assertThat(icon.mediaType()).isEqualTo("image/svg+xml");
            assertThat(new String(icon.bytes(), StandardCharsets.UTF_8)).isEqualTo("<svg/>");
        }
    }

    @Test
    void samlMetadataTravelsAsXmlBothWays() throws Exception {
        String sp = "<EntityDescriptor xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"https://hr.localhost/sp\"/>";
        server.answer = RecordingServer.Answer.json(200, "{\"spEntityId\":\"https://hr.localhost/sp\",\"acsUrl\":\"https://hr.localhost/acs\"}");
        try (HttpAdminApi api = client(server.url("localhost"), pki.trust())) {
            SamlSso read = api.apps().readSpMetadata("a1", new SamlMetadata(sp));
            assertThat(read.spEntityId()).isEqualTo("https://hr.localhost/sp");
            assertThat(read.nameIdFormat()).isEqualTo(SamlSso.NameIdFormat.UNSPECIFIED);
            assertThat(server.last().rawPath()).isEqualTo("/api/v1/apps/a1/saml/sp-metadata");
            assertThat(server.last().contentType()).isEqualTo("application/samlmetadata+xml");
            assertThat(new String(server.last().body(), StandardCharsets.UTF_8)).isEqualTo(sp);
            String idp = "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"https://login.localhost/saml/a1\"/>";
            server.answer = new RecordingServer.Answer(200, "application/samlmetadata+xml;charset=utf-8", idp.getBytes(StandardCharsets.UTF_8), Map.of());
            assertThat(api.apps().samlIdpMetadata("a1").xml()).isEqualTo(idp);
            assertThat(server.last().rawPath()).isEqualTo("/api/v1/apps/a1/saml/idp-metadata");
        }
    }

    @Test
    void aServerWhoseCaIsNotTrustedIsRefusedBeforeAnyRequest() throws Exception {
        try (HttpAdminApi api = client(server.url("localhost"), new TestPki("Another CA").trust())) {
            assertThatThrownBy(() -> api.me()).isInstanceOfSatisfying(ServerUnreachableException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.UNTRUSTED_CERTIFICATE);
                assertThat(e.getMessage()).isEqualTo("Cannot reach localhost:" + server.port() + ": its certificate is not signed by a CA this client trusts");
            });
        }
        try (HttpAdminApi api = HttpAdminApi.to(server.url("localhost")).token("secret-token").build()) {
            assertThatThrownBy(() -> api.me()).isInstanceOfSatisfying(ServerUnreachableException.class,
                    e -> assertThat(e.reason()).as("the JDK's default trust store").isEqualTo(Reason.UNTRUSTED_CERTIFICATE));
        }
        assertThat(server.seen).isEmpty();
    }

    @Test
    void aCertificateForAnotherNameIsRefused() throws Exception {
        try (RecordingServer other = new RecordingServer(pki.server(List.of("other.example")))) {
            try (HttpAdminApi api = client(other.url("admin.localhost"), pki.trust())) {
                assertThatThrownBy(() -> api.me()).isInstanceOfSatisfying(ServerUnreachableException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.WRONG_HOST_NAME);
                    assertThat(e.why()).isEqualTo("its certificate does not name admin.localhost");
                });
            }
            assertThat(other.seen).isEmpty();
        }
    }

    @Test
    void tlsOutsideTheProfileIsRefused() throws Exception {
        SslContextFactory.Server weak = new SslContextFactory.Server();
        weak.setIncludeProtocols("TLSv1.2");
        weak.setIncludeCipherSuites("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256");
        try (RecordingServer cbc = new RecordingServer(pki.server(List.of("localhost")), weak);
             HttpAdminApi api = client(cbc.url("localhost"), pki.trust())) {
            assertThatThrownBy(() -> api.me()).isInstanceOfSatisfying(ServerUnreachableException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.TLS_FAILED);
                assertThat(e.getMessage()).startsWith("Cannot reach localhost:" + cbc.port() + ": the TLS handshake failed");
            });
            assertThat(cbc.seen).isEmpty();
        }
    }

    @Test
    void nothingListeningIsSaidInWords() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (HttpAdminApi api = client(URI.create("https://127.0.0.1:" + port), pki.trust())) {
            assertThatThrownBy(() -> api.me()).isInstanceOfSatisfying(ServerUnreachableException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.CONNECTION_REFUSED);
                assertThat(e.getMessage()).isEqualTo("Cannot reach 127.0.0.1:" + port + ": nothing answers on 127.0.0.1:" + port);
            });
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0);
             HttpAdminApi api = HttpAdminApi.to(URI.create("https://localhost:" + silent.getLocalPort())).trust(pki.trust())
                     .timeout(Duration.ofMillis(500)).build()) {
            assertThatThrownBy(() -> api.me()).isInstanceOfSatisfying(ServerUnreachableException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
                assertThat(e.why()).matches("no (connection|answer) within 500 ms");
            });
        }
    }

    @Test
    void plainHttpIsRefusedButForLoopback() {
        assertThatThrownBy(() -> HttpAdminApi.to(URI.create("http://admin.example.com:8080")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refusing plain http to admin.example.com");
        assertThatThrownBy(() -> HttpAdminApi.to(URI.create("admin.example.com"))).isInstanceOf(IllegalArgumentException.class);
        HttpAdminApi.to(URI.create("http://admin.localhost:8080")).build().close();
    }
}
