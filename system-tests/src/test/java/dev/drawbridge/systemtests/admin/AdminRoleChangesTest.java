package dev.drawbridge.systemtests.admin;

import dev.drawbridge.proxy.web.Json;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import org.eclipse.jetty.client.StringRequestContent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.drawbridge.systemtests.admin.AdminRoleMatrixTest.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Role changes against a real server: the system keeps an enabled global administrator, and a demoted
 * administrator's existing token loses the power at once (roles are read on every call, the target's too).
 */
class AdminRoleChangesTest {
    @TempDir
    static Path dir;
    static DrawbridgeStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    static DrawbridgeStack stack() {
        return stack;
    }

    static AdminRoleMatrixTest.Answer call(String token, String method, String path, Object body) throws Exception {
        var req = stack.http().newRequest(stack.adminUrl().resolve("/api/v1/" + path)).method(method)
                .timeout(30, TimeUnit.SECONDS);
        if (token != null) {
            req.headers(h -> h.put("Authorization", "Bearer " + token));
        }
        if (body != null) {
            req.body(new StringRequestContent("application/json",
                    body instanceof String s ? s : Json.MAPPER.writeValueAsString(body)));
        }
        var r = req.send();
        return new AdminRoleMatrixTest.Answer(r.getStatus(), r.getContent().length == 0 ? null
                : Json.MAPPER.readTree(r.getContent()));
    }

    static String user(String upn, String... roles) throws Exception {
        // Only the users who sign in get a password (hashing one takes a while).
        Map<String, String> spec = upn.startsWith("demoted-") ? Map.of("upn", upn, "displayName", upn, "password", AdminRoleMatrixTest.PASSWORD)
                : Map.of("upn", upn, "displayName", upn);
        String id = ok(stack().api("POST", "users", spec)).path("id").asText();
        ok(stack().api("PUT", "users/" + id + "/roles", Map.of("roles", List.of(roles))));
        return id;
    }

    static String token(String upn) throws Exception {
        var t = call(null, "POST", "auth/token", Map.of("username", upn, "password", AdminRoleMatrixTest.PASSWORD));
        assertThat(t.status()).as(String.valueOf(t.body())).isEqualTo(200);
        return t.body().path("accessToken").asText();
    }

    @Test
    void theLastEnabledGlobalAdministratorCannotBeDemotedDisabledOrDeleted() throws Exception {
        String first = user("first-global@corp.example", "GLOBAL_ADMINISTRATOR");
        for (var u : stack().api("GET", "users?limit=1000", null).body().path("items")) {
            String id = u.path("id").asText();
            if (!id.equals(first) && stack().api("GET", "users/" + id + "/roles", null).body().toString().contains("GLOBAL_ADMINISTRATOR")) {
                ok(stack().api("PUT", "users/" + id + "/roles", Map.of("roles", List.of())));
            }
        }
        for (var attempt : List.of(new String[]{"PUT", "users/" + first + "/roles", "{\"roles\":[\"SECURITY_READER\"]}"},
                new String[]{"PUT", "users/" + first + "/roles", "{\"roles\":[]}"},
                new String[]{"POST", "users/" + first + "/disable", "{}"},
                new String[]{"DELETE", "users/" + first, null})) {
            var a = stack().api(attempt[0], attempt[1], attempt[2]);
            assertThat(a.status()).as(attempt[0] + " " + attempt[1] + ": " + a.body()).isEqualTo(409);
            assertThat(a.body().path("detail").asText()).contains("first-global@corp.example", "last enabled global administrator");
        }
        assertThat(stack().api("GET", "users/" + first + "/roles", null).body().path("roles").get(0).asText()).isEqualTo("GLOBAL_ADMINISTRATOR");
        assertThat(stack().api("GET", "users/" + first, null).body().path("enabled").asBoolean()).isTrue();
        assertThat(stack().api("GET", "audit-logs?action=access.denied&targetId=" + first, null).body().path("total").asInt()).isEqualTo(4);
        // Adding roles to the last one, or changing other users, is fine.
        ok(stack().api("PUT", "users/" + first + "/roles", Map.of("roles", List.of("GLOBAL_ADMINISTRATOR", "SECURITY_READER"))));

        // With a second global administrator the first may go; then the second is the last.
        String second = user("second-global@corp.example", "GLOBAL_ADMINISTRATOR");
        ok(stack().api("POST", "users/" + first + "/disable", "{}"));
        assertThat(stack().api("PUT", "users/" + second + "/roles", Map.of("roles", List.of())).status())
                .as("a disabled global administrator does not count").isEqualTo(409);
        ok(stack().api("POST", "users/" + first + "/enable", "{}"));
        ok(stack().api("PUT", "users/" + second + "/roles", Map.of("roles", List.of("HELPDESK_ADMINISTRATOR"))));
        assertThat(stack().api("DELETE", "users/" + first, null).status()).isEqualTo(409);
    }

    @Test
    void aDemotedAdministratorsTokenLosesThePowerAtOnce() throws Exception {
        user("keeper-global@corp.example", "GLOBAL_ADMINISTRATOR");
        String plain = user("plain-user@corp.example");
        String helpdesk = user("demoted-helpdesk@corp.example", "HELPDESK_ADMINISTRATOR");
        String helpdeskToken = token("demoted-helpdesk@corp.example");
        var reset = Map.of("password", "another long passphrase");
        assertThat(call(helpdeskToken, "POST", "users/" + plain + "/password", reset).status()).isEqualTo(200);
        ok(stack().api("PUT", "users/" + helpdesk + "/roles", Map.of("roles", List.of("SECURITY_READER"))));
        assertThat(call(helpdeskToken, "POST", "users/" + plain + "/password", reset).status()).isEqualTo(403);

        // A global administrator demoted to helpdesk keeps the token but can no longer touch an administrator.
        String admin = user("target-admin@corp.example", "APPLICATION_ADMINISTRATOR");
        String global = user("demoted-global@corp.example", "GLOBAL_ADMINISTRATOR", "HELPDESK_ADMINISTRATOR");
        String globalToken = token("demoted-global@corp.example");
        assertThat(call(globalToken, "POST", "users/" + admin + "/revoke-sessions", "{}").status()).isEqualTo(200);
        ok(stack().api("PUT", "users/" + global + "/roles", Map.of("roles", List.of("HELPDESK_ADMINISTRATOR"))));
        var refused = call(globalToken, "POST", "users/" + admin + "/revoke-sessions", "{}");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body().path("detail").asText()).contains("target-admin@corp.example", "APPLICATION_ADMINISTRATOR");
        assertThat(call(globalToken, "POST", "users/" + plain + "/revoke-sessions", "{}").status()).isEqualTo(200);
        // And the target's roles are read fresh too: once the administrator loses the role, helpdesk may act.
        ok(stack().api("PUT", "users/" + admin + "/roles", Map.of("roles", List.of())));
        assertThat(call(globalToken, "POST", "users/" + admin + "/revoke-sessions", "{}").status()).isEqualTo(200);
    }
}
