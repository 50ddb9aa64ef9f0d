package dev.drawbridge.systemtests.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AssignmentBody;
import dev.drawbridge.model.api.GroupBody;
import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.LdapSyncSettings;
import dev.drawbridge.model.api.MemberBody;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.api.UserSpec;
import dev.drawbridge.proxy.admin.OpenApi;
import dev.drawbridge.proxy.web.Json;
import dev.drawbridge.testsupport.identity.CorpDirectory;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.drawbridge.testsupport.identity.CorpDirectory.GROUPS_DN;
import static dev.drawbridge.testsupport.identity.CorpDirectory.PEOPLE_DN;
import static dev.drawbridge.testsupport.identity.CorpDirectory.SYNC_DN;
import static dev.drawbridge.testsupport.identity.CorpDirectory.SYNC_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Answers the OpenAPI document once described wrongly are now the answers the server sends: the status it sends, a list
 * where it answers the whole list, the record it answers where the document said nothing. Each call's status is the
 * document's success status, and its body has the document's shape (array or object, every field a property of the
 * schema).
 */
class AdminAnswersAsDocumentedTest {
    private static final String PASSWORD = "correct horse battery staple";
    @TempDir
    static Path dir;
    static CorpDirectory ldap;
    static DrawbridgeStack stack;
    static JsonNode document;

    @BeforeAll
    static void start() throws Exception {
        ldap = CorpDirectory.start();
        ldap.person("dora", "Dora Doc", "Docs", "dora-ldap-pass");
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        document = Json.MAPPER.valueToTree(OpenApi.document(stack.adminUrl().toString()));
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
        ldap.close();
    }

    @Test
    void addingToAListAnswersTheListWithTheDocumentedStatus() throws Exception {
        AdminApi api = stack.adminApi();
        String app = api.apps().create(new AppSpec("Documented", stack.externalUrl("documented"), "http://127.0.0.1:9/", null, null, null,
                PreAuthentication.DIRECTORY)).id();
        String group = api.groups().create(new GroupBody("Documented staff", null, null)).id();
        api.users().create(new UserSpec("doc.user@corp.example", "Doc", null, null, PASSWORD));

        assertAsDocumented("post", "/apps/{id}/assignments", stack.api("POST", "apps/" + app + "/assignments",
                new AssignmentBody("GROUP", group)));
        assertAsDocumented("post", "/apps/{id}/owners", stack.api("POST", "apps/" + app + "/owners", new MemberBody("doc.user@corp.example")));
        assertAsDocumented("post", "/groups/{id}/members", stack.api("POST", "groups/" + group + "/members",
                new MemberBody("doc.user@corp.example")));
    }

    @Test
    void settingAnIconAnswersItsDescription() throws Exception {
        String app = stack.adminApi().apps().create(new AppSpec("Iconic", stack.externalUrl("iconic"), "http://127.0.0.1:9/", null, null,
                null, PreAuthentication.DIRECTORY)).id();
        ContentResponse r = stack.http().newRequest(stack.adminUrl().resolve("/api/v1/apps/" + app + "/icon")).method("PUT")
                .timeout(30, TimeUnit.SECONDS).headers(h -> h.put("Authorization", "Bearer " + stack.adminToken()))
                .body(new BytesRequestContent("image/svg+xml",
                        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"/>".getBytes(StandardCharsets.UTF_8)))
                .send();
        assertAsDocumented("put", "/apps/{id}/icon", new DrawbridgeStack.ApiAnswer(r.getStatus(), Json.MAPPER.readTree(r.getContent())));
    }

    @Test
    void singleSignOnAnswersItsSettingsAsDocumented() throws Exception {
        String app = stack.adminApi().apps().create(new AppSpec("Signed on", stack.externalUrl("signed-on"), "http://127.0.0.1:9/", null, null,
                null, PreAuthentication.DIRECTORY)).id();
        assertAsDocumented("get", "/apps/{id}/sso", stack.api("GET", "apps/" + app + "/sso", null));
        SsoSettings settings = SsoSettings.headers(List.of(new HeaderRule("X-Groups", HeaderSource.GROUPS, null, false, true, "g:", ";")));
        DrawbridgeStack.ApiAnswer put = stack.api("PUT", "apps/" + app + "/sso", settings);
        assertAsDocumented("put", "/apps/{id}/sso", put);
        assertThat(put.body().path("headers").get(0).path("separator").asText()).isEqualTo(";");
        assertAsDocumented("get", "/apps/{id}", stack.api("GET", "apps/" + app, null));
        assertThat(stack.api("GET", "apps/" + app, null).body().path("ssoMethod").asText()).isEqualTo("HEADERS");
    }

    @Test
    void aDirectorySyncAnswersWhatItChanged() throws Exception {
        var put = stack.api("PUT", "directory-sync", new LdapSyncSettings(ldap.ldapUrl(), SYNC_DN, SYNC_PASSWORD, PEOPLE_DN,
                "(objectClass=inetOrgPerson)", "mail", "displayName", "mail", "departmentNumber", GROUPS_DN, "(objectClass=groupOfNames)",
                "member", 0, true));
        assertThat(put.status()).as(String.valueOf(put.body())).isEqualTo(200);
        DrawbridgeStack.ApiAnswer run = stack.api("POST", "directory-sync/run", Map.of());
        assertAsDocumented("post", "/directory-sync/run", run);
        assertThat(run.body().path("usersCreated").asInt()).isEqualTo(1);
    }

    /** The answer has the document's success status and a body of its shape. */
    private static void assertAsDocumented(String method, String path, DrawbridgeStack.ApiAnswer answer) {
        JsonNode responses = document.path("paths").path(path).path(method).path("responses");
        List<String> successes = new ArrayList<>();
        responses.fieldNames().forEachRemaining(code -> {
            if (code.startsWith("2")) {
                successes.add(code);
            }
        });
        assertThat(successes).as(method + " " + path + " documents one success").hasSize(1);
        assertThat(answer.status()).as(method + " " + path + " answers " + answer.body()).isEqualTo(Integer.parseInt(successes.getFirst()));
        JsonNode schema = responses.path(successes.getFirst()).path("content").path("application/json").path("schema");
        assertThat(schema.isMissingNode()).as(method + " " + path + " documents its JSON answer").isFalse();
        assertThat(shapeProblems(schema, answer.body())).as(method + " " + path).isEmpty();
    }

    private static List<String> shapeProblems(JsonNode schema, JsonNode body) {
        List<String> problems = new ArrayList<>();
        if (schema.path("type").asText().equals("array")) {
            if (!body.isArray() || body.isEmpty()) {
                problems.add("documented as a list, answered " + body);
            } else {
                body.forEach(item -> problems.addAll(shapeProblems(schema.path("items"), item)));
            }
            return problems;
        }
        JsonNode resolved = resolve(schema);
        if (!body.isObject()) {
            problems.add("documented as " + schema + ", answered " + body);
            return problems;
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!resolved.path("properties").has(name)) {
                problems.add(name + " is not a property of " + schema);
            }
        }
        return problems;
    }

    private static JsonNode resolve(JsonNode schema) {
        String ref = schema.path("$ref").asText();
        return ref.isEmpty() ? schema : document.at(ref.substring(1));
    }
}
