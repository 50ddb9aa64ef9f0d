package dev.drawbridge.systemtests.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AppThrottle;
import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.PathPolicies;
import dev.drawbridge.model.api.PathPolicy;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.proxy.admin.AdminApiHandler;
import dev.drawbridge.proxy.admin.AdminRoutes;
import dev.drawbridge.proxy.web.Json;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.signin.SignInForms;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.Https;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.FormRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.util.Fields;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Admin roles against a real server: every role against every operation of the admin API (allowed or 403,
 * straight from the route table), admins signing in with directory credentials and MFA, denials and changes
 * in the audit log, and the OpenAPI document describing exactly the operations the server has.
 */
class AdminRolesTest {
    static final String PASSWORD = "correct horse battery staple";
    static final String NOWHERE = "00000000-0000-0000-0000-000000000000";

    @TempDir
    static Path dir;
    static SampleApp app;
    static DrawbridgeStack stack;
    static final Map<AdminRole, String> tokens = new EnumMap<>(AdminRole.class);
    static final Map<AdminRole, String> userIds = new EnumMap<>(AdminRole.class);

    @BeforeAll
    static void start() throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        stack.startConnector(dir.resolve("c"), 1);
        for (AdminRole role : AdminRole.values()) {
            String upn = role.name().toLowerCase().replace('_', '-') + "@corp.example";
            String id = stack.api("POST", "users", Map.of("upn", upn, "displayName", role.name(), "password", PASSWORD)).body().path("id").asText();
            var set = stack.api("PUT", "users/" + id + "/roles", Map.of("roles", List.of(role)));
            assertThat(set.status()).as(String.valueOf(set.body())).isEqualTo(200);
            userIds.put(role, id);
            Answer t = call(null, "POST", "auth/token", Map.of("username", upn, "password", PASSWORD));
            assertThat(t.status()).as(String.valueOf(t.body())).isEqualTo(200);
            assertThat(t.body().path("roles").get(0).asText()).isEqualTo(role.name());
            tokens.put(role, t.body().path("accessToken").asText());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
        app.close();
    }

    record Answer(int status, JsonNode body) {
    }

    static Answer call(String token, String method, String path, Object body) throws Exception {
        var req = stack.http().newRequest(stack.adminUrl().resolve("/api/v1/" + path)).method(method).timeout(30, TimeUnit.SECONDS);
        if (token != null) {
            req.headers(h -> h.put("Authorization", "Bearer " + token));
        }
        if (body != null) {
            req.body(new StringRequestContent("application/json", body instanceof String s ? s : Json.MAPPER.writeValueAsString(body)));
        }
        ContentResponse r = req.send();
        return new Answer(r.getStatus(), r.getContent().length == 0 ? null : Json.MAPPER.readTree(r.getContent()));
    }

    @Test
    void everyRoleAgainstEveryOperation() throws Exception {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (AdminRoutes.Route route : AdminRoutes.all()) {
            if (route.template().equals("auth/token")) {
                continue;
            }
            // Placeholder ids: an allowed call reaches its handler (404 for the missing resource, 400 for the
            // empty body, 2xx for collections); a denied one stops at the permission check.
            String path = route.template().replaceAll("\\{principalType}", "USER").replaceAll("\\{[^}]+}", NOWHERE);
            Object body = route.method().equals("POST") || route.method().equals("PUT") ? "{}" : null;
            for (AdminRole role : AdminRole.values()) {
                boolean allowed = route.permission() == null || role.permissions().contains(route.permission());
                Answer a = call(tokens.get(role), route.method(), path, body);
                checked++;
                boolean denied = a.status() == 403 && a.body().path("detail").asText().contains("permission");
                boolean unrouted = a.status() == 405 || (a.status() == 404 && AdminApiHandler.NO_ENDPOINT.equals(a.body().path("detail").asText()));
                if (allowed == denied || unrouted || a.status() == 401 || a.status() >= 500) {
                    wrong.add(role + " " + route.method() + " " + path + " -> " + a.status() + " " + a.body());
                }
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(checked).isGreaterThan(300);
    }

    /**
     * Every role against both single sign-on operations on a real pre-authenticated app, expected from the roles as
     * Entra describes them (reading app settings: every role but helpdesk; changing them: the application roles and the
     * global administrator), not from the route table: an allowed call answers and its change happens; a refused one is
     * a 403 that changes nothing and is audit-logged.
     */
    @Test
    void everyRoleAgainstBothSingleSignOnOperations() throws Exception {
        Set<AdminRole> readers = EnumSet.of(AdminRole.GLOBAL_ADMINISTRATOR, AdminRole.APPLICATION_ADMINISTRATOR,
                AdminRole.CLOUD_APPLICATION_ADMINISTRATOR, AdminRole.SECURITY_READER);
        // A proxy setting (as in Entra): not the cloud application administrator's.
        Set<AdminRole> writers = EnumSet.of(AdminRole.GLOBAL_ADMINISTRATOR, AdminRole.APPLICATION_ADMINISTRATOR);
        String id = stack.api("POST", "apps", new AppSpec("SSO matrix", stack.externalUrl("sso-matrix"), app.baseUri().toString(), null, null,
                null, PreAuthentication.DIRECTORY)).body().path("id").asText();
        List<String> wrong = new ArrayList<>();
        for (AdminRole role : AdminRole.values()) {
            String header = "X-" + role.name().replace('_', '-');
            SsoSettings mine = SsoSettings.headers(List.of(HeaderRule.of(header, HeaderSource.UPN)));
            Answer read = call(tokens.get(role), "GET", "apps/" + id + "/sso", null);
            if (readers.contains(role) ? read.status() != 200 || !read.body().has("method") : read.status() != 403) {
                wrong.add(role + " GET -> " + read.status() + " " + read.body());
            }
            Answer write = call(tokens.get(role), "PUT", "apps/" + id + "/sso", mine);
            boolean stored = stack.adminApi().apps().sso(id).equals(mine);
            if (writers.contains(role) ? write.status() != 200 || !stored : write.status() != 403 || stored) {
                wrong.add(role + " PUT -> " + write.status() + " " + write.body() + (stored ? " (stored)" : " (not stored)"));
            }
            if (!writers.contains(role)) {
                String actor = role.name().toLowerCase().replace('_', '-') + "@corp.example";
                JsonNode denied = stack.api("GET", "audit-logs?action=access.denied&actor=" + actor, null).body();
                if (denied.path("items").findValuesAsText("after").stream().noneMatch(a -> a.contains("/apps/" + id + "/sso"))) {
                    wrong.add(role + " PUT refused but not audit-logged");
                }
            }
        }
        assertThat(wrong).isEmpty();
        JsonNode changes = stack.api("GET", "audit-logs?action=app.sso.update&targetId=" + id, null).body();
        assertThat(changes.path("total").asInt()).isEqualTo(writers.size());
    }

    /**
     * Every role against an app's own limits and its path rules, expected from the roles as for single sign-on (reading:
     * every role but helpdesk; changing, proxy settings: the application administrator and the global administrator). A
     * cloud application administrator's edit of the app that would change its throttle or timeout is refused naming the
     * field; every refusal changes nothing.
     */
    @Test
    void everyRoleAgainstTheAppsLimitsAndPathRules() throws Exception {
        Set<AdminRole> readers = EnumSet.of(AdminRole.GLOBAL_ADMINISTRATOR, AdminRole.APPLICATION_ADMINISTRATOR,
                AdminRole.CLOUD_APPLICATION_ADMINISTRATOR, AdminRole.SECURITY_READER);
        Set<AdminRole> writers = EnumSet.of(AdminRole.GLOBAL_ADMINISTRATOR, AdminRole.APPLICATION_ADMINISTRATOR);
        String url = stack.externalUrl("limits-matrix");
        String id = stack.api("POST", "apps", new AppSpec("Limits matrix", url, app.baseUri().toString(), null, null, null,
                PreAuthentication.DIRECTORY)).body().path("id").asText();
        List<String> wrong = new ArrayList<>();
        int n = 0;
        for (AdminRole role : AdminRole.values()) {
            n++;
            AppSpec limited = new AppSpec("Limits matrix", url, app.baseUri().toString(), null, null, null, PreAuthentication.DIRECTORY,
                    null, null, null, new AppThrottle(n, n + 1), 100 + n);
            Answer put = call(tokens.get(role), "PUT", "apps/" + id, limited);
            JsonNode stored = stack.api("GET", "apps/" + id, null).body();
            boolean changed = stored.path("backendTimeoutSeconds").asInt() == 100 + n && stored.path("throttle").path("burst").asInt() == n + 1;
            if (writers.contains(role) ? put.status() != 200 || !changed : put.status() != 403 || changed) {
                wrong.add(role + " PUT app -> " + put.status() + " " + put.body());
            }
            if (role == AdminRole.CLOUD_APPLICATION_ADMINISTRATOR
                    && !put.body().path("errors").findValuesAsText("field").containsAll(List.of("throttle", "backendTimeoutSeconds"))) {
                wrong.add(role + " PUT app: the refusal names no limit field: " + put.body());
            }
            Answer read = call(tokens.get(role), "GET", "apps/" + id + "/paths", null);
            if (readers.contains(role) ? read.status() != 200 || !read.body().has("paths") : read.status() != 403) {
                wrong.add(role + " GET paths -> " + read.status() + " " + read.body());
            }
            String path = "/" + role.name().toLowerCase().replace('_', '-');
            Answer write = call(tokens.get(role), "PUT", "apps/" + id + "/paths", new PathPolicies(List.of(
                    new PathPolicy(path, PreAuthentication.PASSTHROUGH, List.of(), List.of()))));
            boolean written = stack.api("GET", "apps/" + id + "/paths", null).body().path("paths").findValuesAsText("path").contains(path);
            if (writers.contains(role) ? write.status() != 200 || !written : write.status() != 403 || written) {
                wrong.add(role + " PUT paths -> " + write.status() + " " + write.body() + (written ? " (stored)" : " (not stored)"));
            }
        }
        assertThat(wrong).isEmpty();
        JsonNode changes = stack.api("GET", "audit-logs?action=app.paths.update&targetId=" + id, null).body();
        assertThat(changes.path("total").asInt()).isEqualTo(writers.size());
    }

    /**
     * Every role against "test as user" on a real pre-authenticated app, expected from the roles (reading apps and the
     * directory: every role but helpdesk): a reader gets the user's preview, any other role a 403 without it.
     */
    @Test
    void everyRoleAgainstTheSingleSignOnPreview() throws Exception {
        Set<AdminRole> readers = EnumSet.of(AdminRole.GLOBAL_ADMINISTRATOR, AdminRole.APPLICATION_ADMINISTRATOR,
                AdminRole.CLOUD_APPLICATION_ADMINISTRATOR, AdminRole.SECURITY_READER);
        String id = stack.api("POST", "apps", new AppSpec("SSO preview matrix", stack.externalUrl("sso-preview-matrix"), app.baseUri().toString(),
                null, null, null, PreAuthentication.DIRECTORY)).body().path("id").asText();
        assertThat(stack.api("PUT", "apps/" + id + "/sso", SsoSettings.headers(List.of(HeaderRule.of("X-Remote-User", HeaderSource.UPN))))
                .status()).isEqualTo(200);
        List<String> wrong = new ArrayList<>();
        for (AdminRole role : AdminRole.values()) {
            Answer a = call(tokens.get(role), "POST", "apps/" + id + "/sso/preview", Map.of("user", "helpdesk-administrator@corp.example"));
            boolean shown = a.status() == 200 && a.body().path("headers").get(0).path("value").asText().equals("helpdesk-administrator@corp.example");
            if (readers.contains(role) ? !shown : a.status() != 403 || a.body().toString().contains("X-Remote-User")) {
                wrong.add(role + " -> " + a.status() + " " + a.body());
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void listsFilterBySearch() throws Exception {
        JsonNode found = call(tokens.get(AdminRole.SECURITY_READER), "GET", "users?search=HELPDESK", null).body();
        assertThat(found.path("items").findValuesAsText("upn")).containsExactly("helpdesk-administrator@corp.example");
        assertThat(call(tokens.get(AdminRole.SECURITY_READER), "GET", "users?search=nobody-like-this", null).body().path("total").asInt()).isZero();
    }

    @Test
    void theBootstrapCredentialIsAGlobalAdministrator() throws Exception {
        JsonNode me = stack.api("GET", "me", null).body();
        assertThat(me.path("subject").asText()).isEqualTo("admin");
        assertThat(me.path("roles").get(0).asText()).isEqualTo("GLOBAL_ADMINISTRATOR");
        assertThat(me.path("permissions").size()).isEqualTo(AdminRole.Permission.values().length);
    }

    @Test
    void meListsTheRolesPermissions() throws Exception {
        JsonNode me = call(tokens.get(AdminRole.HELPDESK_ADMINISTRATOR), "GET", "me", null).body();
        assertThat(me.path("subject").asText()).isEqualTo("helpdesk-administrator@corp.example");
        List<String> perms = new ArrayList<>();
        me.path("permissions").forEach(p -> perms.add(p.asText()));
        assertThat(perms).containsExactlyInAnyOrderElementsOf(AdminRole.HELPDESK_ADMINISTRATOR.permissions().stream().map(Enum::name).toList());
    }

    @Test
    void aDeniedCallIsAuditedWithTheCaller() throws Exception {
        Answer denied = call(tokens.get(AdminRole.SECURITY_READER), "POST", "apps",
                new AppSpec("Nope", stack.externalUrl("nope"), app.baseUri().toString(), null, null, null, PreAuthentication.PASSTHROUGH));
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.body().path("detail").asText()).contains("PROXY_SETTINGS_WRITE");
        JsonNode log = stack.api("GET", "audit-logs?action=access.denied&actor=security-reader@corp.example", null).body();
        assertThat(log.path("total").asInt()).isPositive();
        assertThat(log.path("items").get(0).path("after").asText()).contains("/api/v1/apps").contains("PROXY_SETTINGS_WRITE");
        assertThat(stack.api("GET", "apps?name=Nope", null).body().path("total").asInt()).isZero();
    }

    @Test
    void helpdeskResetsAPasswordAndTheChangeIsAuditedWithBeforeAndAfter() throws Exception {
        String id = stack.api("POST", "users", Map.of("upn", "forgetful@corp.example", "displayName", "Forgetful", "password", PASSWORD))
                .body().path("id").asText();
        String helpdesk = tokens.get(AdminRole.HELPDESK_ADMINISTRATOR);
        assertThat(call(helpdesk, "POST", "users/" + id + "/password", Map.of("password", "a brand new passphrase")).status()).isEqualTo(200);
        assertThat(call(helpdesk, "POST", "users/" + id + "/disable", "{}").status()).isEqualTo(403);
        JsonNode entry = stack.api("GET", "audit-logs?targetId=" + id + "&action=user.password", null).body().path("items").get(0);
        assertThat(entry.path("actor").asText()).isEqualTo("helpdesk-administrator@corp.example");
        assertThat(entry.path("before").asText()).contains("forgetful@corp.example");
        assertThat(entry.path("after").asText()).contains("forgetful@corp.example");
        assertThat(entry.path("before").asText() + entry.path("after").asText()).doesNotContain("a brand new passphrase");
    }

    @Test
    void aCloudApplicationAdministratorChangesAccessButNotProxySettings() throws Exception {
        String url = stack.externalUrl("cloudapp");
        String id = stack.api("POST", "apps", new AppSpec("Cloud app", url, app.baseUri().toString(), null, null, null,
                PreAuthentication.PASSTHROUGH)).body().path("id").asText();
        String cloud = tokens.get(AdminRole.CLOUD_APPLICATION_ADMINISTRATOR);
        Answer rename = call(cloud, "PUT", "apps/" + id, new AppSpec("Cloud app renamed", url, app.baseUri().toString(), null, null, null,
                PreAuthentication.PASSTHROUGH));
        assertThat(rename.status()).as(String.valueOf(rename.body())).isEqualTo(200);
        Answer repoint = call(cloud, "PUT", "apps/" + id, new AppSpec("Cloud app renamed", url, "http://127.0.0.1:1/", null, null, null,
                PreAuthentication.DIRECTORY));
        assertThat(repoint.status()).isEqualTo(403);
        assertThat(repoint.body().path("errors").findValuesAsText("field")).containsExactlyInAnyOrder("internalUrl", "preAuthentication");
        assertThat(stack.api("GET", "apps/" + id, null).body().path("internalUrl").asText()).isEqualTo(app.baseUri().toString());
        // Link translation, in pages and in scripts, is a proxy setting too.
        Answer translate = call(cloud, "PUT", "apps/" + id, new AppSpec("Cloud app renamed", url, app.baseUri().toString(), null, null, null,
                PreAuthentication.PASSTHROUGH, null, null, true, true));
        assertThat(translate.status()).isEqualTo(403);
        assertThat(translate.body().path("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("translateLinksInBody", "translateLinksInScripts");
        assertThat(stack.api("GET", "apps/" + id, null).body().path("translateLinksInScripts").asBoolean()).isFalse();
        Answer appAdmin = call(tokens.get(AdminRole.APPLICATION_ADMINISTRATOR), "PUT", "apps/" + id,
                new AppSpec("Cloud app renamed", url, app.baseUri().toString(), null, null, false, PreAuthentication.PASSTHROUGH));
        assertThat(appAdmin.status()).isEqualTo(200);
        assertThat(appAdmin.body().path("translateHostHeader").asBoolean()).isFalse();
    }

    @Test
    void adminSignInFailuresAreClearAndLogged() throws Exception {
        Answer wrong = call(null, "POST", "auth/token", Map.of("username", "global-administrator@corp.example", "password", "nope"));
        assertThat(wrong.status()).isEqualTo(401);
        Answer missing = call(null, "POST", "auth/token", Map.of("username", "global-administrator@corp.example"));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body().path("errors").get(0).path("field").asText()).isEqualTo("password");
        stack.api("POST", "users", Map.of("upn", "plain@corp.example", "displayName", "Plain", "password", PASSWORD));
        Answer notAdmin = call(null, "POST", "auth/token", Map.of("username", "plain@corp.example", "password", PASSWORD));
        assertThat(notAdmin.status()).isEqualTo(403);
        JsonNode log = stack.api("GET", "sign-in-logs?event=ADMIN_SIGN_IN&upn=plain@corp.example", null).body();
        assertThat(log.path("items").get(0).path("reason").asText()).isEqualTo("not an administrator");
        // Tokens from elsewhere are not admin tokens.
        assertThat(call("not-a-token", "GET", "me", null).status()).isEqualTo(401);
    }

    @Test
    void rolesAndSessionsTakeEffectAtOnce() throws Exception {
        String upn = "temp-admin@corp.example";
        String id = stack.api("POST", "users", Map.of("upn", upn, "displayName", "Temp", "password", PASSWORD)).body().path("id").asText();
        stack.api("PUT", "users/" + id + "/roles", Map.of("roles", List.of("SECURITY_READER")));
        String token = call(null, "POST", "auth/token", Map.of("username", upn, "password", PASSWORD)).body().path("accessToken").asText();
        assertThat(call(token, "GET", "sign-in-logs", null).status()).isEqualTo(200);
        stack.api("PUT", "users/" + id + "/roles", Map.of("roles", List.of()));
        assertThat(call(token, "GET", "sign-in-logs", null).status()).isEqualTo(401);
        stack.api("PUT", "users/" + id + "/roles", Map.of("roles", List.of("SECURITY_READER")));
        assertThat(call(token, "GET", "sign-in-logs", null).status()).isEqualTo(200);
        Thread.sleep(5);
        stack.api("POST", "users/" + id + "/revoke-sessions", "{}");
        assertThat(call(token, "GET", "sign-in-logs", null).status()).isEqualTo(401);
        var badRole = stack.api("PUT", "users/" + id + "/roles", "{\"roles\":[\"EMPEROR\"]}");
        assertThat(badRole.status()).isEqualTo(400);
        assertThat(badRole.body().path("errors").get(0).path("field").asText()).startsWith("roles");
    }

    @Test
    void anAdminWithMfaSignsInWithACode() throws Exception {
        String upn = "mfa-admin@corp.example";
        String id = stack.api("POST", "users", Map.of("upn", upn, "displayName", "MFA admin", "password", PASSWORD)).body().path("id").asText();
        stack.api("PUT", "users/" + id + "/roles", Map.of("roles", List.of("GLOBAL_ADMINISTRATOR")));
        String secret = enrollMfa(upn);
        Answer first = call(null, "POST", "auth/token", Map.of("username", upn, "password", PASSWORD));
        assertThat(first.status()).isEqualTo(401);
        assertThat(first.body().path("type").asText()).endsWith("mfa-required");
        long step = Instant.now().getEpochSecond() / 30;
        Answer ok = call(null, "POST", "auth/token", Map.of("username", upn, "password", PASSWORD,
                "mfaCode", new DefaultCodeGenerator().generate(secret, step + 1)));
        assertThat(ok.status()).as(String.valueOf(ok.body())).isEqualTo(200);
        assertThat(call(ok.body().path("accessToken").asText(), "GET", "me", null).body().path("subject").asText()).isEqualTo(upn);
        Answer replay = call(null, "POST", "auth/token", Map.of("username", upn, "password", PASSWORD,
                "mfaCode", new DefaultCodeGenerator().generate(secret, step + 1)));
        assertThat(replay.status()).isEqualTo(401);
        assertThat(replay.body().path("title").asText()).isEqualTo("Wrong MFA code");
    }

    @Test
    void aConditionalAccessPolicyCanRequireMfaForAdminSignIns() throws Exception {
        String upn = "policy-admin@corp.example";
        String id = stack.api("POST", "users", Map.of("upn", upn, "displayName", "Policy admin", "password", PASSWORD)).body().path("id").asText();
        stack.api("PUT", "users/" + id + "/roles", Map.of("roles", List.of("SECURITY_READER")));
        var p = stack.api("POST", "policies", new AccessPolicy(null, "MFA for admins", AccessPolicy.State.ON, List.of(), List.of(upn),
                List.of(), List.of(), List.of(), List.of(), null, AccessPolicy.Control.REQUIRE_MFA));
        assertThat(p.status()).as(String.valueOf(p.body())).isEqualTo(201);
        // The store reloads policies every few seconds; wait for this one.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        Answer a;
        do {
            Thread.sleep(200);
            a = call(null, "POST", "auth/token", Map.of("username", upn, "password", PASSWORD));
        } while (a.status() == 200 && System.nanoTime() < deadline);
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.body().path("detail").asText()).contains("enroll");
        stack.api("DELETE", "policies/" + p.body().path("id").asText(), null);
    }

    @Test
    void theOpenApiDocumentDescribesEveryOperation() throws Exception {
        ContentResponse r = stack.http().newRequest(stack.adminUrl().resolve("/api/v1/openapi.json")).timeout(20, TimeUnit.SECONDS).send();
        assertThat(r.getStatus()).isEqualTo(200);
        JsonNode doc = Json.MAPPER.readTree(r.getContent());
        assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
        int operations = 0;
        for (AdminRoutes.Route route : AdminRoutes.all()) {
            JsonNode op = doc.path("paths").path("/" + route.template()).path(route.method().toLowerCase());
            assertThat(op.isObject()).as(route.method() + " " + route.template()).isTrue();
            if (route.permission() != null) {
                assertThat(op.path("x-required-permission").asText()).isEqualTo(route.permission().name());
            }
            operations++;
        }
        List<String> documented = new ArrayList<>();
        doc.path("paths").properties().forEach(e -> e.getValue().properties().forEach(m -> documented.add(m.getKey() + " " + e.getKey())));
        assertThat(documented).hasSize(operations);
        // Every schema a $ref names exists.
        Matcher refs = Pattern.compile("#/components/schemas/(\\w+)").matcher(doc.toString());
        while (refs.find()) {
            assertThat(doc.path("components").path("schemas").has(refs.group(1))).as(refs.group(1)).isTrue();
        }
    }

    /** Enrolls TOTP for a user through the sign-in host, as the user would; returns the secret. */
    static String enrollMfa(String upn) throws Exception {
        HttpClient http = Https.client(stack.server().serverCaCertificate(), true);
        try {
            String login = stack.externalUrl("login");
            ContentResponse form = follow(http, get(http, login));
            Fields f = hidden(form.getContentAsString());
            f.put("upn", upn);
            f.put("password", PASSWORD);
            follow(http, post(http, login + "signin", f));
            ContentResponse enroll = get(http, login + "mfa/enroll");
            Matcher key = Pattern.compile("id=\"secret\">([A-Z2-7]+)<").matcher(enroll.getContentAsString());
            assertThat(key.find()).as(enroll.getContentAsString()).isTrue();
            Fields e = hidden(enroll.getContentAsString());
            e.put("code", new DefaultCodeGenerator().generate(key.group(1), Instant.now().getEpochSecond() / 30));
            assertThat(post(http, login + "mfa/enroll", e).getContentAsString()).contains("Recovery codes");
            return key.group(1);
        } finally {
            http.stop();
        }
    }

    static ContentResponse get(HttpClient http, String u) throws Exception {
        return http.newRequest(URI.create(u)).headers(h -> h.put("Accept", "text/html")).timeout(20, TimeUnit.SECONDS).send();
    }

    static ContentResponse post(HttpClient http, String u, Fields f) throws Exception {
        return http.newRequest(URI.create(u)).method("POST").body(new FormRequestContent(f)).timeout(20, TimeUnit.SECONDS).send();
    }

    static ContentResponse follow(HttpClient http, ContentResponse r) throws Exception {
        while (r.getStatus() == 302 || r.getStatus() == 303) {
            r = get(http, r.getRequest().getURI().resolve(r.getHeaders().get("Location")).toString());
        }
        return r;
    }

    static Fields hidden(String html) {
        return SignInForms.hiddenFields(html);
    }
}
