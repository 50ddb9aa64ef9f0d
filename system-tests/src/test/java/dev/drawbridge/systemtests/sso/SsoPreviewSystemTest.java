package dev.drawbridge.systemtests.sso;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.AdminApiException;
import dev.drawbridge.connector.Connector;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.GroupBody;
import dev.drawbridge.model.api.GroupView;
import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.MemberBody;
import dev.drawbridge.model.api.NameBody;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.SsoPreview;
import dev.drawbridge.model.api.SsoPreviewRequest;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.api.UserSpec;
import dev.drawbridge.model.http.HeaderNames;
import dev.drawbridge.proxy.web.Json;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.signin.SignInForms;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.Https;
import dev.drawbridge.testsupport.time.Await;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * "Test as user" against the live path through the whole stack (admin API over TLS; client → proxy → tunnel →
 * connector → the sample app, which prints what it received): for header-based single sign-on, what the preview says
 * each user's backend gets is exactly what the backend got, header by header, for the stored settings and for a draft
 * that is then stored, and a header the preview says the user has no value for does not arrive; a group whose only
 * connectors predate single sign-on is the preview's problem and the user's "need an update" page; an unknown user is a
 * 404 naming {@code user}.
 */
class SsoPreviewSystemTest {
    static final String PASSWORD = "correct horse battery staple";
    static final List<HeaderRule> RULES = List.of(
            HeaderRule.of("X-Remote-User", HeaderSource.UPN),
            new HeaderRule("X-User-Short", HeaderSource.UPN, null, true, true, null, null),
            new HeaderRule("X-Groups", HeaderSource.GROUPS, null, false, true, "grp:", ";"),
            HeaderRule.of("X-All-Groups", HeaderSource.GROUPS),
            new HeaderRule("X-Domain-User", HeaderSource.UPN, null, true, false, "CORP\\", null),
            new HeaderRule("X-Name", HeaderSource.DISPLAY_NAME, null, false, true, "Name: ", null),
            HeaderRule.of("X-Email", HeaderSource.EMAIL),
            HeaderRule.of("X-Id", HeaderSource.OBJECT_ID),
            new HeaderRule("X-Dept", HeaderSource.CLAIM, "department", false, false, null, null),
            HeaderRule.of("X-Sam", HeaderSource.SAM_ACCOUNT_NAME));
    @TempDir
    static Path dir;
    static SampleApp backend;
    static DrawbridgeStack stack;
    static AdminApi api;
    static String appId, appUrl;
    static final Map<String, HttpClient> browsers = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        backend = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        api = stack.adminApi();
        stack.startConnector(dir.resolve("connector"), 1);
        appUrl = stack.externalUrl("signed");
        appId = api.apps().create(new AppSpec("Signed", appUrl, backend.baseUri().toString(), null, null, null, PreAuthentication.DIRECTORY,
                new AccessSettings(false, true, true, false))).id();
        api.apps().setSso(appId, SsoSettings.headers(RULES));
        api.users().create(new UserSpec("Alice.Smith@Corp.Example", "Alice Smith", "alice@corp.example", "Finance", PASSWORD));
        api.users().create(new UserSpec("bob@corp.example", "Bob", null, null, PASSWORD));
        for (String g : List.of("HR", "Ops, Admins")) {
            GroupView group = api.groups().create(new GroupBody(g, null, null));
            api.groups().addMember(group.id(), new MemberBody(stack.user("alice.smith@corp.example").id()));
        }
        for (String upn : List.of("alice.smith@corp.example", "bob@corp.example")) {
            HttpClient browser = Https.client(stack.server().serverCaCertificate(), true);
            browsers.put(upn, browser);
            assertThat(SignInForms.signIn(browser, appUrl + "echo/start", stack.externalUrl("login"), upn, PASSWORD).getStatus()).isEqualTo(200);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (HttpClient b : browsers.values()) {
            b.stop();
        }
        stack.close();
        backend.close();
    }

    /** Every header the backend received for {@code upn}'s request, by canonical name (every spelling of a name together). */
    private static Map<String, List<String>> received(String upn, String url) throws Exception {
        ContentResponse r = browsers.get(upn).newRequest(URI.create(url)).timeout(20, TimeUnit.SECONDS).send();
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(200);
        Map<String, List<String>> out = new LinkedHashMap<>();
        JsonNode headers = Json.MAPPER.readTree(r.getContent()).path("headers");
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            List<String> values = out.computeIfAbsent(HeaderNames.canonical(e.getKey()), k -> new ArrayList<>());
            e.getValue().forEach(v -> values.add(v.asText()));
        }
        return out;
    }

    /** The preview's headers are the backend's, one value each, and a rule the preview gives no header sends none. */
    private static void assertPreviewIsLive(SsoPreview preview, List<HeaderRule> rules, String upn) throws Exception {
        Map<String, List<String>> got = received(upn, appUrl + "echo/page");
        for (SsoPreview.Header h : preview.headers()) {
            assertThat(got.get(HeaderNames.canonical(h.name()))).as(upn + " " + h.name()).containsExactly(h.value());
        }
        List<String> shown = preview.headers().stream().map(h -> HeaderNames.canonical(h.name())).toList();
        for (HeaderRule r : rules) {
            if (!shown.contains(HeaderNames.canonical(r.name()))) {
                assertThat(got).as(upn + " has no header " + r.name()).doesNotContainKey(HeaderNames.canonical(r.name()));
            }
        }
    }

    @Test
    void thePreviewIsWhatTheBackendReceivesForEachUser() throws Exception {
        SsoPreview alice = api.apps().previewSso(appId, SsoPreviewRequest.of("alice.smith@corp.example"));
        assertThat(alice.headers()).extracting(SsoPreview.Header::name).containsExactly("X-Remote-User", "X-User-Short", "X-Groups",
                "X-All-Groups", "X-Domain-User", "X-Name", "X-Email", "X-Id", "X-Dept");
        assertThat(alice.problems()).containsExactly("alice.smith@corp.example has no on-premises SAM account name (from directory sync):"
                + " the backend gets no X-Sam header");
        assertPreviewIsLive(alice, RULES, "alice.smith@corp.example");

        SsoPreview bob = api.apps().previewSso(appId, SsoPreviewRequest.of(stack.user("bob@corp.example").id()));
        assertThat(bob.headers()).extracting(SsoPreview.Header::name).doesNotContain("X-Groups", "X-All-Groups", "X-Email", "X-Dept");
        assertPreviewIsLive(bob, RULES, "bob@corp.example");
    }

    @Test
    void aDraftPreviewedIsWhatTheBackendGetsOnceItIsStored() throws Exception {
        List<HeaderRule> draft = List.of(new HeaderRule("X-Who", HeaderSource.UPN, null, true, false, "u:", null),
                new HeaderRule("X-Teams", HeaderSource.GROUPS, null, false, false, null, "|"));
        SsoPreview preview = api.apps().previewSso(appId, new SsoPreviewRequest("alice.smith@corp.example", SsoSettings.headers(draft)));
        assertThat(preview.headers()).containsExactly(new SsoPreview.Header("X-Who", "u:alice.smith"),
                new SsoPreview.Header("X-Teams", "HR|Ops, Admins"));
        assertThat(api.apps().sso(appId)).isEqualTo(SsoSettings.headers(RULES));
        try {
            api.apps().setSso(appId, SsoSettings.headers(draft));
            assertPreviewIsLive(preview, draft, "alice.smith@corp.example");
        } finally {
            api.apps().setSso(appId, SsoSettings.headers(RULES));
        }
    }

    @Test
    void connectorsThatPredateSingleSignOnAreTheProblemTheUserMeets() throws Exception {
        api.connectorGroups().create(new NameBody("Legacy", null, null));
        String legacyUrl = stack.externalUrl("legacy");
        String legacy = api.apps().create(new AppSpec("Legacy", legacyUrl, backend.baseUri().toString(), "Legacy", null, null,
                PreAuthentication.DIRECTORY, new AccessSettings(false, true, true, false))).id();
        api.apps().setSso(legacy, SsoSettings.headers(RULES));
        assertThat(api.apps().previewSso(legacy, SsoPreviewRequest.of("bob@corp.example")).problems())
                .contains("no connector of the group 'Legacy' is connected to this server: requests to the app fail until one is");

        Connector old = stack.startConnectorWithoutSso(dir.resolve("old-connector"), 1);
        api.connectors().move(old.connectorId(), new NameBody(null, "Legacy", null));
        String tooOld = "the connectors of the group 'Legacy' connected to this server all predate single sign-on: users get \"the"
                + " app's connectors need an update\" until one of them is updated";
        Await.until("the old connector in group Legacy", Duration.ofSeconds(20), () -> {
            try {
                return api.apps().previewSso(legacy, SsoPreviewRequest.of("bob@corp.example")).problems().contains(tooOld);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // Signed in at the login host already: the app host's redirects end at the app, which the connectors cannot carry.
        ContentResponse page = SignInForms.open(browsers.get("bob@corp.example"), legacyUrl + "echo/x");
        assertThat(page.getStatus()).isEqualTo(502);
        assertThat(page.getContentAsString()).contains("need an update");
        // The same app without single sign-on goes to the old connector: no problem left.
        assertThat(api.apps().previewSso(legacy, new SsoPreviewRequest("bob@corp.example", SsoSettings.NONE)).problems()).isEmpty();
    }

    @Test
    void anUnknownUserIsA404NamingUser() {
        assertThatThrownBy(() -> api.apps().previewSso(appId, SsoPreviewRequest.of("nobody@corp.example")))
                .isInstanceOfSatisfying(AdminApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.problem().errors()).extracting(Problem.FieldError::field).containsExactly("user");
                });
    }
}
