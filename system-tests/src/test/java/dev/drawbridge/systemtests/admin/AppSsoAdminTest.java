package dev.drawbridge.systemtests.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.proxy.web.Json;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.DrawbridgeStack.ApiAnswer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/v1/apps/{id}/sso} over real TLS: the settings set, read and removed; every way a body can be wrong is a 400
 * problem naming its field; an unknown app a 404; a passthrough app a 409 naming {@code method}; an edit of the app
 * (PUT /apps/{id}) keeps its single sign-on, and making it passthrough is a 409 naming {@code preAuthentication} until
 * single sign-on is removed; every change is in the audit log with before and after.
 */
class AppSsoAdminTest {
    static final SsoSettings HEADERS = SsoSettings.headers(List.of(HeaderRule.of("X-Remote-User", HeaderSource.UPN),
            new HeaderRule("X-Groups", HeaderSource.GROUPS, null, false, true, "grp:", ";")));
    @TempDir
    static Path dir;
    static DrawbridgeStack stack;
    static final AtomicInteger serial = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    static AppSpec spec(String label, PreAuthentication preauth) {
        return new AppSpec("SSO " + label, stack.externalUrl(label), "http://127.0.0.1:9/", null, null, null, preauth);
    }

    /** A new app; its id. */
    static String app(PreAuthentication preauth) throws Exception {
        String label = "sso-" + serial.incrementAndGet();
        ApiAnswer a = stack.api("POST", "apps", spec(label, preauth));
        assertThat(a.status()).as(String.valueOf(a.body())).isEqualTo(201);
        return a.body().path("id").asText();
    }

    static List<String> fields(ApiAnswer a) {
        return a.body().path("errors").findValuesAsText("field");
    }

    @Test
    void settingsAreSetReadAndRemoved() throws Exception {
        String id = app(PreAuthentication.DIRECTORY);
        assertThat(stack.api("GET", "apps/" + id + "/sso", null).body()).isEqualTo(Json.MAPPER.valueToTree(SsoSettings.NONE));
        ApiAnswer put = stack.api("PUT", "apps/" + id + "/sso", HEADERS);
        assertThat(put.status()).as(String.valueOf(put.body())).isEqualTo(200);
        assertThat(Json.MAPPER.treeToValue(put.body(), SsoSettings.class)).isEqualTo(HEADERS);
        assertThat(stack.adminApi().apps().sso(id)).isEqualTo(HEADERS);
        assertThat(stack.api("GET", "apps/" + id, null).body().path("ssoMethod").asText()).isEqualTo("HEADERS");
        assertThat(stack.adminApi().apps().setSso(id, SsoSettings.NONE)).isEqualTo(SsoSettings.NONE);
        assertThat(stack.api("GET", "apps/" + id, null).body().path("ssoMethod").asText()).isEqualTo("NONE");

        JsonNode log = stack.api("GET", "audit-logs?action=app.sso.update&targetId=" + id, null).body();
        assertThat(log.path("total").asInt()).isEqualTo(2);
        JsonNode set = log.path("items").get(1);
        assertThat(set.path("actor").asText()).isEqualTo("admin");
        assertThat(set.path("before").asText()).contains("\"NONE\"");
        assertThat(set.path("after").asText()).contains("X-Remote-User", "X-Groups", "grp:");
        assertThat(log.path("items").get(0).path("after").asText()).contains("\"NONE\"").doesNotContain("X-Remote-User");
    }

    @Test
    void everyWayABodyCanBeWrongIsA400NamingItsField() throws Exception {
        String id = app(PreAuthentication.DIRECTORY);
        String path = "apps/" + id + "/sso";
        for (String reserved : List.of("Host", "X_Forwarded_For", "x.drawbridge.user", "Transfer-Encoding", "cookie", "AUTHORIZATION")) {
            ApiAnswer a = stack.api("PUT", path, Map.of("method", "HEADERS", "headers", List.of(Map.of("name", "X-Ok", "source", "UPN"),
                    Map.of("name", reserved, "source", "UPN"))));
            assertThat(a.status()).as(reserved).isEqualTo(400);
            assertThat(fields(a)).as(reserved).containsExactly("headers[1].name");
            assertThat(a.body().path("errors").get(0).path("message").asText()).contains("reserved");
        }
        ApiAnswer several = stack.api("PUT", path, Map.of("method", "HEADERS", "headers", List.of(Map.of("name", "X-A", "source", "CLAIM"),
                Map.of("name", "x_a", "source", "UPN", "claim", "dept"))));
        assertThat(fields(several)).containsExactly("headers[0].claim", "headers[1].name", "headers[1].claim");
        assertThat(fields(stack.api("PUT", path, "{\"method\":\"HEADERS\",\"headers\":[]}"))).containsExactly("headers");
        assertThat(fields(stack.api("PUT", path, "{\"method\":\"HEADERS\",\"headers\":[null]}"))).containsExactly("headers[0]");
        // Not the settings at all: each a 400 problem document, never a 500.
        for (String body : List.of("{\"method\":\"KERBEROS\"}", "{\"method\":\"HEADERS\",\"headers\":[{\"name\":\"X-A\",\"source\":\"NOPE\"}]}",
                "{\"method\":\"NONE\",\"secret\":\"x\"}", "not json", "", "[]", "{\"method\":\"HEADERS\",\"headers\":{\"name\":\"X\"}}")) {
            ApiAnswer a = stack.api("PUT", path, body);
            assertThat(a.status()).as(body).isEqualTo(400);
            assertThat(a.body().path("status").asInt()).as(body).isEqualTo(400);
        }
        assertThat(stack.adminApi().apps().sso(id)).isEqualTo(SsoSettings.NONE);
        assertThat(stack.api("GET", "audit-logs?action=app.sso.update&targetId=" + id, null).body().path("total").asInt()).isZero();
    }

    @Test
    void anUnknownAppIsNotFound() throws Exception {
        for (String id : List.of("00000000-0000-0000-0000-000000000000", "nope")) {
            assertThat(stack.api("GET", "apps/" + id + "/sso", null).status()).isEqualTo(404);
            ApiAnswer put = stack.api("PUT", "apps/" + id + "/sso", HEADERS);
            assertThat(put.status()).isEqualTo(404);
            assertThat(put.body().path("status").asInt()).isEqualTo(404);
        }
    }

    @Test
    void aPassthroughAppGetsNoMethod() throws Exception {
        String id = app(PreAuthentication.PASSTHROUGH);
        ApiAnswer put = stack.api("PUT", "apps/" + id + "/sso", HEADERS);
        assertThat(put.status()).isEqualTo(409);
        assertThat(fields(put)).containsExactly("method");
        assertThat(put.body().path("detail").asText()).contains("pre-authentication");
        assertThat(stack.adminApi().apps().sso(id)).isEqualTo(SsoSettings.NONE);
        assertThat(stack.api("PUT", "apps/" + id + "/sso", SsoSettings.NONE).status()).isEqualTo(200);
    }

    @Test
    void anEditOfTheAppKeepsItsSingleSignOnAndCannotMakeItPassthrough() throws Exception {
        String id = app(PreAuthentication.DIRECTORY);
        String label = stack.api("GET", "apps/" + id, null).body().path("externalUrl").asText().replaceAll("https://([^.]+)\\..*", "$1");
        assertThat(stack.api("PUT", "apps/" + id + "/sso", HEADERS).status()).isEqualTo(200);
        AppSpec renamed = new AppSpec("SSO renamed " + label, stack.externalUrl(label), "http://127.0.0.1:8/", null, null, false,
                PreAuthentication.DIRECTORY);
        ApiAnswer edit = stack.api("PUT", "apps/" + id, renamed);
        assertThat(edit.status()).as(String.valueOf(edit.body())).isEqualTo(200);
        assertThat(edit.body().path("ssoMethod").asText()).isEqualTo("HEADERS");
        assertThat(stack.adminApi().apps().sso(id)).isEqualTo(HEADERS);

        ApiAnswer passthrough = stack.api("PUT", "apps/" + id, new AppSpec(renamed.name(), renamed.externalUrl(), renamed.internalUrl(), null,
                null, false, PreAuthentication.PASSTHROUGH));
        assertThat(passthrough.status()).isEqualTo(409);
        assertThat(fields(passthrough)).containsExactly("preAuthentication");
        assertThat(passthrough.body().path("detail").asText()).contains("remove single sign-on first");
        assertThat(stack.api("GET", "apps/" + id, null).body().path("preAuthentication").asText()).isEqualTo("DIRECTORY");

        assertThat(stack.api("PUT", "apps/" + id + "/sso", SsoSettings.NONE).status()).isEqualTo(200);
        ApiAnswer now = stack.api("PUT", "apps/" + id, new AppSpec(renamed.name(), renamed.externalUrl(), renamed.internalUrl(), null,
                null, false, PreAuthentication.PASSTHROUGH));
        assertThat(now.status()).as(String.valueOf(now.body())).isEqualTo(200);
        assertThat(now.body().path("preAuthentication").asText()).isEqualTo("PASSTHROUGH");
    }
}
