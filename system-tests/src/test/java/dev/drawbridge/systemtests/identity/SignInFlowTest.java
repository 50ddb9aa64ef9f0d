package dev.drawbridge.systemtests.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.Logs;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AssignmentBody;
import dev.drawbridge.model.api.GroupBody;
import dev.drawbridge.model.api.MemberBody;
import dev.drawbridge.model.api.Page;
import dev.drawbridge.model.api.PasswordBody;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SignInLogEntry;
import dev.drawbridge.model.api.SignInResult;
import dev.drawbridge.model.api.UserSpec;
import dev.drawbridge.model.api.UserView;
import dev.drawbridge.proxy.signin.Cookies;
import dev.drawbridge.proxy.web.Json;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.Https;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.FormRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.util.Fields;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pre-authentication end to end over HTTP (a cookie-keeping client standing in for the browser;
 * the Chromium tests drive the same flow in a real browser): redirect to the sign-in host, CSRF-
 * protected form, one-time code back to the app host, app-scoped cookie, identity forwarded to the
 * internal app, assignment required, sign-out everywhere.
 */
class SignInFlowTest {
    static final String PASSWORD = "correct horse battery staple";
    @TempDir
    static Path dir;
    static SampleApp app;
    static DrawbridgeStack stack;
    static String url;
    static String appId;
    HttpClient browser;

    @BeforeAll
    static void start() throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        url = stack.externalUrl("hr");
        AdminApi admin = stack.adminApi();
        appId = admin.apps().create(new AppSpec("HR", url, app.baseUri().toString(), null, null, null,
                PreAuthentication.DIRECTORY, AccessSettings.DEFAULTS)).id();
        stack.startConnector(dir.resolve("connector"), 1);
        for (String upn : new String[]{"alice@corp.example", "bob@corp.example"}) {
            stack.createUser(upn, upn.substring(0, 3), PASSWORD);
        }
        String group = admin.groups().create(new GroupBody("HR staff", null, null)).id();
        admin.groups().addMember(group, new MemberBody("alice@corp.example"));
        admin.apps().assign(appId, new AssignmentBody("GROUP", "HR staff"));
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
        app.close();
    }

    @BeforeEach
    void newBrowser() throws Exception {
        browser = Https.client(stack.server().serverCaCertificate(), true);
    }

    @AfterEach
    void closeBrowser() throws Exception {
        browser.stop();
    }

    ContentResponse get(String u) throws Exception {
        return browser.newRequest(URI.create(u)).headers(h -> h.put("Accept", "text/html")).timeout(20, TimeUnit.SECONDS).send();
    }

    static String hidden(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
        assertThat(m.find()).as("hidden field " + name).isTrue();
        return m.group(1);
    }

    /** Opens {@code target} on the app, signs in on the sign-in host, and follows the way back. Returns the final answer. */
    ContentResponse signInThrough(String target, String upn, String password) throws Exception {
        ContentResponse first = get(target);
        assertThat(first.getStatus()).isEqualTo(302);
        String signIn = first.getHeaders().get("Location");
        assertThat(signIn).startsWith("https://login.localhost:" + stack.server().publicPort() + "/signin?app=" + appId);
        ContentResponse form = get(signIn);
        assertThat(form.getStatus()).isEqualTo(200);
        Fields f = new Fields();
        f.put("csrf", hidden(form.getContentAsString(), "csrf"));
        f.put("app", hidden(form.getContentAsString(), "app"));
        f.put("p", hidden(form.getContentAsString(), "p"));
        f.put("upn", upn);
        f.put("password", password);
        ContentResponse posted = browser.newRequest(URI.create(stack.externalUrl("login") + "signin")).method("POST")
                .body(new FormRequestContent(f)).timeout(20, TimeUnit.SECONDS).send();
        if (posted.getStatus() != 303) {
            return posted;
        }
        String callback = posted.getHeaders().get("Location");
        assertThat(callback).startsWith(url + ".drawbridge/callback?code=");
        ContentResponse landed = get(callback);
        assertThat(landed.getStatus()).isEqualTo(303);
        assertThat(landed.getHeaders().get("Location")).isEqualTo(target.replace("https://hr.localhost:" + stack.server().publicPort(),
                "https://hr.localhost:" + stack.server().publicPort()));
        return get(landed.getHeaders().get("Location"));
    }

    @Test
    void assignedUserSignsInAndTheAppSeesWhoSheIs() throws Exception {
        ContentResponse r = signInThrough(url + "echo/after-sign-in?x=1", "Alice@Corp.example", PASSWORD);
        assertThat(r.getStatus()).isEqualTo(200);
        JsonNode echo = Json.MAPPER.readTree(r.getContent());
        assertThat(echo.path("rawQuery").asText()).isEqualTo("x=1");
        JsonNode headers = echo.path("headers");
        assertThat(headers.path("x-drawbridge-user").get(0).asText()).isEqualTo("alice@corp.example");
        assertThat(headers.path("x-drawbridge-assertion").get(0).asText()).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
        // The session cookie is Drawbridge's: the app never receives it.
        assertThat(headers.path("cookie").toString()).doesNotContain("drawbridge_app");
        var cookie = browser.getHttpCookieStore().all().stream().filter(c -> c.getName().startsWith(Cookies.APP_PREFIX)).findFirst().orElseThrow();
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.isSecure()).isTrue();
        assertThat(cookie.getMaxAge()).isEqualTo(-1);
    }

    @Test
    void unassignedUserGetsA403() throws Exception {
        ContentResponse r = signInThrough(url, "bob@corp.example", PASSWORD);
        assertThat(r.getStatus()).isEqualTo(403);
        assertThat(r.getContentAsString()).contains("You don&#39;t have access to HR");
    }

    @Test
    void wrongPasswordStaysOnTheFormWith401() throws Exception {
        ContentResponse r = signInThrough(url, "alice@corp.example", "wrong password!!");
        assertThat(r.getStatus()).isEqualTo(401);
        assertThat(r.getContentAsString()).contains("The user name or password is incorrect");
    }

    @Test
    void signOutEndsTheAppSessionToo() throws Exception {
        assertThat(signInThrough(url + "echo/x", "alice@corp.example", PASSWORD).getStatus()).isEqualTo(200);
        ContentResponse confirm = get(stack.externalUrl("login") + "signout");
        Fields f = new Fields();
        f.put("csrf", hidden(confirm.getContentAsString(), "csrf"));
        ContentResponse out = browser.newRequest(URI.create(stack.externalUrl("login") + "signout")).method("POST")
                .body(new FormRequestContent(f)).timeout(20, TimeUnit.SECONDS).send();
        assertThat(out.getContentAsString()).contains("You are signed out");
        // The app cookie is still in the browser, but the session behind it ended.
        ContentResponse after = get(url + "echo/x");
        assertThat(after.getStatus()).isEqualTo(302);
        assertThat(after.getHeaders().get("Location")).contains("/signin?app=");
    }

    @Test
    void apiClientsWithoutASessionGet401NotARedirect() throws Exception {
        ContentResponse r = browser.newRequest(URI.create(url + "echo/api")).headers(h -> h.put("Accept", "application/json"))
                .timeout(20, TimeUnit.SECONDS).send();
        assertThat(r.getStatus()).isEqualTo(401);
        assertThat(r.getHeaders().get("WWW-Authenticate")).startsWith("Bearer");
    }

    @Test
    void aSignInFormWithoutItsCsrfTokenIsRefused() throws Exception {
        get(stack.externalUrl("login") + "signin?app=" + appId);
        Fields f = new Fields();
        f.put("csrf", "forged-token-value-forged-token-value");
        f.put("app", appId);
        f.put("upn", "alice@corp.example");
        f.put("password", PASSWORD);
        ContentResponse r = browser.newRequest(URI.create(stack.externalUrl("login") + "signin")).method("POST")
                .body(new FormRequestContent(f)).timeout(20, TimeUnit.SECONDS).send();
        assertThat(r.getStatus()).isEqualTo(403);
        assertThat(browser.getHttpCookieStore().all()).noneMatch(c -> c.getName().contains("login"));
    }

    @Test
    void aPlantedSessionCookieIsNeitherTrustedNorKept() throws Exception {
        URI login = URI.create(stack.externalUrl("login"));
        browser.getHttpCookieStore().add(login, HttpCookie.build("__Host-drawbridge_login", "attacker-chosen")
                .path("/").secure(true).build());
        ContentResponse r = signInThrough(url + "echo/fixation", "alice@corp.example", PASSWORD);
        assertThat(r.getStatus()).isEqualTo(200);
        String session = browser.getHttpCookieStore().match(login).stream().filter(c -> c.getName().equals("__Host-drawbridge_login"))
                .map(HttpCookie::getValue).findFirst().orElseThrow();
        assertThat(session).isNotEqualTo("attacker-chosen").contains(".");
    }

    @Test
    void identityHeadersSentByTheClientNeverReachTheApp() throws Exception {
        signInThrough(url + "echo/x", "alice@corp.example", PASSWORD);
        ContentResponse r = browser.newRequest(URI.create(url + "echo/spoof")).timeout(20, TimeUnit.SECONDS)
                .headers(h -> h.put("X-Drawbridge-User", "ceo@corp.example").put("X-Drawbridge-Assertion", "forged")).send();
        JsonNode headers = Json.MAPPER.readTree(r.getContent()).path("headers");
        assertThat(headers.path("x-drawbridge-user").toString()).isEqualTo("[\"alice@corp.example\"]");
        assertThat(headers.path("x-drawbridge-assertion").toString()).doesNotContain("forged");
    }

    @Test
    void oneTimeCodesWorkOnceAndOnlyForTheirApp() throws Exception {
        ContentResponse first = get(url + "echo/once");
        ContentResponse form = get(first.getHeaders().get("Location"));
        Fields f = new Fields();
        f.put("csrf", hidden(form.getContentAsString(), "csrf"));
        f.put("app", appId);
        f.put("p", "//evil.example/steal");
        f.put("upn", "alice@corp.example");
        f.put("password", PASSWORD);
        ContentResponse posted = browser.newRequest(URI.create(stack.externalUrl("login") + "signin")).method("POST")
                .body(new FormRequestContent(f)).timeout(20, TimeUnit.SECONDS).send();
        String callback = posted.getHeaders().get("Location");
        // The redirect attempt was neutralised before the code was even issued.
        assertThat(callback).endsWith("&p=%2F");
        String onOtherApp = callback.replace(url, stack.externalUrl("other"));
        ContentResponse redeemed = get(callback);
        assertThat(redeemed.getStatus()).isEqualTo(303);
        assertThat(redeemed.getHeaders().get("Location")).isEqualTo(url);
        assertThat(get(callback).getStatus()).isEqualTo(400);
        // Only the browser that started the sign-in may redeem its code (LoginCsrfTest covers every other browser).
        HttpClient fresh = Https.client(stack.server().serverCaCertificate(), true);
        try {
            assertThat(fresh.newRequest(URI.create(callback)).timeout(20, TimeUnit.SECONDS).send().getStatus()).isEqualTo(400);
        } finally {
            fresh.stop();
        }
        assertThat(get(onOtherApp).getStatus()).isEqualTo(404);
    }

    @Test
    void theSignInLogRecordsAttemptsAndDecisions() throws Exception {
        stack.createUser("carol@corp.example", "Carol", PASSWORD);
        assertThat(signInThrough(url, "carol@corp.example", "not her password").getStatus()).isEqualTo(401);
        assertThat(signInThrough(url, "carol@corp.example", PASSWORD).getStatus()).isEqualTo(403);
        Logs logs = stack.adminApi().logs();
        Page<SignInLogEntry> log = logs.signIns(Paging.DEFAULT, new Logs.SignInFilter("carol@corp.example", null, null, null, null, null));
        assertThat(log.total()).isEqualTo(3);
        List<String> lines = new ArrayList<>();
        log.items().forEach(e -> lines.add(e.event() + " " + e.result()));
        // Newest first.
        assertThat(lines).containsExactly("ACCESS DENIED", "SIGN_IN SUCCESS", "SIGN_IN FAILURE");
        SignInLogEntry denied = log.items().get(0);
        assertThat(denied.appName()).isEqualTo("HR");
        assertThat(denied.clientIp()).isEqualTo("127.0.0.1");
        assertThat(denied.reason()).contains("not assigned");
        assertThat(logs.signIns(Paging.DEFAULT, new Logs.SignInFilter("carol@corp.example", null, SignInResult.FAILURE, null, null, null))
                .total()).isEqualTo(1);
        assertThat(stack.api("GET", "sign-in-logs?from=yesterday", null).status()).isEqualTo(400);
    }

    @Test
    void directoryChangesAreAuditedWithBeforeAndAfter() throws Exception {
        String id = stack.createUser("erin@corp.example", "Erin", PASSWORD).id();
        stack.adminApi().users().disable(id);
        stack.adminApi().users().resetPassword(id, new PasswordBody("another long password"));
        // Raw reads: the point is every byte the audit log API answers (no secret), not only what the typed records carry.
        JsonNode log = stack.api("GET", "audit-logs?targetId=" + id, null).body();
        List<String> actions = log.path("items").findValuesAsText("action");
        assertThat(actions).containsExactly("user.password", "user.disable", "user.create");
        JsonNode disable = log.path("items").get(1);
        assertThat(disable.path("actor").asText()).isEqualTo("admin");
        assertThat(Json.MAPPER.readTree(disable.path("before").asText()).path("enabled").asBoolean()).isTrue();
        assertThat(Json.MAPPER.readTree(disable.path("after").asText()).path("enabled").asBoolean()).isFalse();
        // No secret ever reaches the audit log.
        assertThat(log.toString()).doesNotContain("another long password").doesNotContain(PASSWORD).doesNotContain("argon2");
        String tokenLog = stack.api("GET", "audit-logs?action=registration-token.create", null).body().toString();
        assertThat(tokenLog).doesNotContain("dbreg_");
    }

    @Test
    void dynamicGroupsFollowUserAttributes() throws Exception {
        AdminApi admin = stack.adminApi();
        String groupId = admin.groups().create(new GroupBody("Finance people", null,
                "department eq \"Finance\" and upn endsWith \"@corp.example\"")).id();
        admin.users().create(new UserSpec("fred@corp.example", "Fred", null, "finance", PASSWORD));
        admin.users().create(new UserSpec("fay@other.example", "Fay", null, "Finance", PASSWORD));
        admin.users().create(new UserSpec("sam@corp.example", "Sam", null, "Sales", PASSWORD));
        List<UserView> members = admin.groups().members(groupId);
        assertThat(members).extracting(UserView::upn).containsExactly("fred@corp.example");
        // A dynamic group refuses manual members, and a rule that does not parse is refused: the API's answers are the point.
        assertThat(stack.api("POST", "groups/" + groupId + "/members", Map.of("user", "sam@corp.example")).status()).isEqualTo(409);
        var bad = stack.api("POST", "groups", Map.of("name", "Broken", "membershipRule", "department is Finance"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().path("errors").get(0).path("field").asText()).isEqualTo("membershipRule");
        // Disabling Fred takes him out of the group.
        String fred = members.get(0).id();
        admin.users().disable(fred);
        assertThat(admin.groups().members(groupId)).isEmpty();
    }
}
