package dev.drawbridge.systemtests.identity;

import dev.drawbridge.adminclient.Logs;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.NamedLocation;
import dev.drawbridge.model.api.Page;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SignInLogEntry;
import dev.drawbridge.model.api.SignInResult;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.signin.SignInForms;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.Https;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.FormRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.Fields;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conditional access enforced end to end: a BLOCK policy on a named location denies with a 403 and
 * logs the policy; a REQUIRE_MFA policy steps a password-only session up to the second factor; a
 * user without an authenticator is sent to set one up; a report-only policy only shows in the log.
 */
class ConditionalAccessFlowTest {
    static final String PASSWORD = "correct horse battery staple";
    @TempDir
    static Path dir;
    static SampleApp app;
    static DrawbridgeStack stack;
    static String blocked, secured, trial;

    @BeforeAll
    static void start() throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        AccessSettings open = new AccessSettings(false, true, true, false);
        blocked = stack.externalUrl("blocked");
        secured = stack.externalUrl("secured");
        trial = stack.externalUrl("trial");
        String blockedId = create("Blocked", blocked, open), securedId = create("Secured", secured, open), trialId = create("Trial", trial, open);
        stack.startConnector(dir.resolve("c"), 1);
        stack.createUser("alice@corp.example", "Alice", PASSWORD);
        stack.createUser("bob@corp.example", "Bob", PASSWORD);
        String loopback = stack.adminApi().namedLocations().create(new NamedLocation(null, "This machine", false, List.of("127.0.0.0/8", "::1")))
                .id();
        post(new AccessPolicy(null, "No access from this machine", AccessPolicy.State.ON, List.of(blockedId), List.of("ALL"), List.of(),
                List.of(loopback), List.of(), List.of(), null, AccessPolicy.Control.BLOCK));
        post(new AccessPolicy(null, "MFA for Secured", AccessPolicy.State.ON, List.of(securedId), List.of("ALL"), List.of(),
                List.of("UNTRUSTED"), List.of(), List.of(AccessPolicy.ClientType.BROWSER), null, AccessPolicy.Control.REQUIRE_MFA));
        post(new AccessPolicy(null, "Trial block", AccessPolicy.State.REPORT_ONLY, List.of(trialId), List.of("ALL"), List.of(),
                List.of(), List.of(), List.of(), null, AccessPolicy.Control.BLOCK));
    }

    static String create(String name, String url, AccessSettings access) throws Exception {
        return stack.adminApi().apps().create(new AppSpec(name, url, app.baseUri().toString(), null, null, null, PreAuthentication.DIRECTORY,
                access)).id();
    }

    static void post(AccessPolicy p) throws Exception {
        stack.adminApi().policies().create(p);
    }

    static Page<SignInLogEntry> signIns(Logs.SignInFilter filter) throws Exception {
        return stack.adminApi().logs().signIns(Paging.DEFAULT, filter);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
        app.close();
    }

    /** A cookie-keeping client that follows this test's steps. */
    static final class Browser implements AutoCloseable {
        final HttpClient http = Https.client(stack.server().serverCaCertificate(), true);

        Browser() throws Exception {
        }

        ContentResponse get(String u) throws Exception {
            return http.newRequest(URI.create(u)).headers(h -> h.put("Accept", "text/html")).timeout(20, TimeUnit.SECONDS).send();
        }

        ContentResponse post(String u, Fields f) throws Exception {
            return http.newRequest(URI.create(u)).method("POST").body(new FormRequestContent(f)).timeout(20, TimeUnit.SECONDS).send();
        }

        /** Follows redirects by hand (GET), submitting nothing; returns the first non-redirect answer. */
        ContentResponse follow(ContentResponse r) throws Exception {
            while (r.getStatus() == 302 || r.getStatus() == 303) {
                r = get(r.getHeaders().get("Location"));
            }
            return r;
        }

        ContentResponse signIn(String target, String upn) throws Exception {
            ContentResponse form = follow(get(target));
            Fields f = hiddenFields(form.getContentAsString());
            f.put("upn", upn);
            f.put("password", PASSWORD);
            return post(stack.externalUrl("login") + "signin", f);
        }

        @Override
        public void close() throws Exception {
            http.stop();
        }
    }

    static Fields hiddenFields(String html) {
        return SignInForms.hiddenFields(html);
    }

    @Test
    void aBlockPolicyDeniesAndIsLogged() throws Exception {
        try (Browser b = new Browser()) {
            ContentResponse r = b.follow(b.signIn(blocked, "alice@corp.example"));
            assertThat(r.getStatus()).isEqualTo(403);
            assertThat(r.getContentAsString()).contains("Access blocked").contains("No access from this machine: BLOCK");
        }
        Page<SignInLogEntry> log = signIns(new Logs.SignInFilter("alice@corp.example", null, SignInResult.DENIED, null, null, null));
        assertThat(log.items().get(0).policies()).isEqualTo("No access from this machine: BLOCK");
    }

    @Test
    void requireMfaStepsUpAPasswordSession() throws Exception {
        try (Browser b = new Browser()) {
            // Sign in with a password: the policy wants more, and Bob has no authenticator yet.
            ContentResponse r = b.follow(b.signIn(secured, "bob@corp.example"));
            assertThat(r.getStatus()).isEqualTo(403);
            assertThat(r.getContentAsString()).contains("Two-step verification required");
            // He sets one up...
            ContentResponse enroll = b.get(stack.externalUrl("login") + "mfa/enroll");
            Matcher key = Pattern.compile("id=\"secret\">([A-Z2-7]+)<").matcher(enroll.getContentAsString());
            assertThat(key.find()).isTrue();
            long step = Instant.now().getEpochSecond() / 30;
            Fields f = hiddenFields(enroll.getContentAsString());
            f.put("code", new DefaultCodeGenerator().generate(key.group(1), step));
            assertThat(b.post(stack.externalUrl("login") + "mfa/enroll", f).getContentAsString()).contains("Recovery codes");
            // ...and opening the app again asks for the code, without the password.
            ContentResponse mfaPage = b.follow(b.get(secured + "echo/stepped-up"));
            assertThat(mfaPage.getContentAsString()).contains("Two-step verification").doesNotContain("id=\"password\"");
            Fields code = hiddenFields(mfaPage.getContentAsString());
            code.put("code", new DefaultCodeGenerator().generate(key.group(1), step + 1));
            ContentResponse done = b.follow(b.post(stack.externalUrl("login") + "mfa", code));
            assertThat(done.getStatus()).isEqualTo(200);
            assertThat(done.getContentAsString()).contains("/echo/stepped-up").contains("bob@corp.example");
        }
        Page<SignInLogEntry> log = signIns(new Logs.SignInFilter("bob@corp.example", null, SignInResult.INTERRUPTED, null, null, null));
        assertThat(log.total()).isPositive();
        assertThat(log.items().get(0).policies()).isEqualTo("MFA for Secured: REQUIRE_MFA");
    }

    @Test
    void aReportOnlyPolicyIsLoggedButNotEnforced() throws Exception {
        try (Browser b = new Browser()) {
            ContentResponse r = b.follow(b.signIn(trial + "echo/trial", "alice@corp.example"));
            assertThat(r.getStatus()).isEqualTo(200);
        }
        List<SignInLogEntry> items = signIns(new Logs.SignInFilter("alice@corp.example", null, null, null, null, null)).items();
        assertThat(items).extracting(SignInLogEntry::policies).contains("Trial block: BLOCK [report-only]");
    }

    @Test
    void invalidPoliciesAreRefusedFieldByField() throws Exception {
        var a = stack.api("POST", "policies", Map.of("name", "", "users", List.of(), "locations", List.of("nowhere"),
                "time", Map.of("start", "25:00", "end", "08:00", "zone", "Mars/Olympus")));
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.body().path("errors").findValuesAsText("field")).contains("name", "state", "control", "users", "locations", "time");
        var l = stack.api("POST", "named-locations", Map.of("name", "Bad", "cidrs", List.of("10.0.0.0/40")));
        assertThat(l.status()).isEqualTo(400);
        assertThat(l.body().path("errors").get(0).path("field").asText()).isEqualTo("cidrs");
    }
}
