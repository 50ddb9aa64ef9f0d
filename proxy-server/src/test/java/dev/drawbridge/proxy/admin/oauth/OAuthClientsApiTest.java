package dev.drawbridge.proxy.admin.oauth;

import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.OAuthClientSpec;
import dev.drawbridge.model.api.OAuthClientView;
import dev.drawbridge.model.api.OAuthGrant;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.Problem.FieldError;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.admin.operation.FakeAdminRequest;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.RouteTable;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.oauth.OAuthClientStore;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.web.ValidationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The OAuth client resource without a server: ids chosen or made up, unique in any letter case and never changed,
 * every field checked (and the apps against the published ones), each change in the audit log with before and after.
 */
class OAuthClientsApiTest {
    static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");
    static final List<String> REDIRECTS = List.of("http://127.0.0.1/callback", "com.example.cli:/callback");
    static final List<OAuthGrant> BOTH = List.of(OAuthGrant.REFRESH_TOKEN, OAuthGrant.AUTHORIZATION_CODE);
    @TempDir
    Path dir;
    Database db;
    AuditLog audit;
    OAuthClientStore store;
    OAuthClientsApi api;
    final Caller ada = Caller.BOOTSTRAP;

    @BeforeEach
    void open() throws Exception {
        db = Database.h2(dir);
        audit = new AuditLog(db, Clock.fixed(NOW, ZoneOffset.UTC));
        store = new OAuthClientStore(db);
        URI u = URI.create("https://hr.example.test/");
        RouteTable routes = new RouteTable(List.of(new PublishedApp("app-hr", "HR", u, u.getHost(), "/", URI.create("http://hr.corp/"), "g",
                BackendTimeout.DEFAULT, true, PreAuthentication.DIRECTORY, AccessSettings.DEFAULTS, NOW, NOW)));
        api = new OAuthClientsApi(store, () -> routes, Clock.fixed(NOW, ZoneOffset.UTC), audit);
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    private OAuthClientView create(OAuthClientSpec spec) throws Exception {
        Answer a = api.create(ada, new FakeAdminRequest().body(spec));
        assertThat(((Answer.Json) a).status()).isEqualTo(201);
        return (OAuthClientView) ((Answer.Json) a).body();
    }

    private List<String> actions() {
        return audit.query(new AuditLog.Query(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), 0, 100)).stream().map(e -> e.action() + " " + e.targetType() + " " + e.targetId()).toList();
    }

    @Test
    void aChosenIdIsKeptAndAMissingOneIsMadeUp() throws Exception {
        OAuthClientView cli = create(new OAuthClientSpec("com.example.cli", " CLI ", REDIRECTS, BOTH, List.of("app-hr")));
        assertThat(cli).isEqualTo(new OAuthClientView("com.example.cli", "CLI", REDIRECTS,
                List.of(OAuthGrant.AUTHORIZATION_CODE, OAuthGrant.REFRESH_TOKEN), List.of("app-hr"), NOW, NOW));
        assertThat(store.find("com.example.cli")).contains(cli);
        OAuthClientView made = create(new OAuthClientSpec(null, "Tool", REDIRECTS, List.of(OAuthGrant.AUTHORIZATION_CODE), List.of()));
        assertThat(made.clientId()).matches("[0-9a-f-]{36}");
        assertThat(((Answer.Json) api.list(ada, new FakeAdminRequest())).body()).isEqualTo(List.of(cli, made));
        assertThat(actions()).containsExactly("oauth-client.create oauth-client " + made.clientId(), "oauth-client.create oauth-client com.example.cli");
    }

    @Test
    void anIdTakenInAnyLetterCaseIsAConflict() throws Exception {
        create(new OAuthClientSpec("cli", "CLI", REDIRECTS, BOTH, List.of()));
        for (String id : List.of("cli", "CLI", "Cli")) {
            assertThatThrownBy(() -> api.create(ada, new FakeAdminRequest().body(new OAuthClientSpec(id, "Other", REDIRECTS, BOTH, List.of()))))
                    .isInstanceOf(ConflictException.class);
        }
        assertThat(actions()).hasSize(1);
    }

    @Test
    void everyProblemIsReportedNamingItsField() {
        assertThatThrownBy(() -> api.create(ada, new FakeAdminRequest().body(new OAuthClientSpec("bad id", "", List.of("https://evil.example/cb"),
                List.of(OAuthGrant.REFRESH_TOKEN), List.of("no-such-app")))))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors().stream().map(FieldError::field))
                        .containsExactlyInAnyOrder("clientId", "displayName", "redirectUris", "grants", "appIds"));
        assertThat(store.list()).isEmpty();
        assertThat(actions()).isEmpty();
    }

    @Test
    void aReplaceKeepsTheIdAndCreationTime() throws Exception {
        OAuthClientView cli = create(new OAuthClientSpec("cli", "CLI", REDIRECTS, BOTH, List.of()));
        OAuthClientSpec change = new OAuthClientSpec(null, "CLI 2", List.of("http://[::1]/cb"), List.of(OAuthGrant.AUTHORIZATION_CODE), List.of("app-hr"));
        OAuthClientView after = (OAuthClientView) ((Answer.Json) api.replace(ada, new FakeAdminRequest().path("id", "cli").body(change))).body();
        assertThat(after).isEqualTo(new OAuthClientView("cli", "CLI 2", List.of("http://[::1]/cb"), List.of(OAuthGrant.AUTHORIZATION_CODE),
                List.of("app-hr"), cli.createdAt(), NOW));
        assertThatThrownBy(() -> api.replace(ada, new FakeAdminRequest().path("id", "cli").body(
                new OAuthClientSpec("CLI", "CLI 3", REDIRECTS, BOTH, List.of())))).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("clientId"));
        assertThatThrownBy(() -> api.replace(ada, new FakeAdminRequest().path("id", "CLI").body(change)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.problem().status()).isEqualTo(404));
        assertThat(store.find("cli")).contains(after);
        assertThat(actions()).containsExactly("oauth-client.update oauth-client cli", "oauth-client.create oauth-client cli");
    }

    @Test
    void aDeleteIsLoggedOnceAndThenNotFound() throws Exception {
        create(new OAuthClientSpec("cli", "CLI", REDIRECTS, BOTH, List.of()));
        assertThat(api.delete(ada, new FakeAdminRequest().path("id", "cli"))).isInstanceOf(Answer.NoContent.class);
        assertThatThrownBy(() -> api.delete(ada, new FakeAdminRequest().path("id", "cli"))).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> api.get(ada, new FakeAdminRequest().path("id", "cli"))).isInstanceOf(ApiException.class);
        assertThat(actions()).containsExactly("oauth-client.delete oauth-client cli", "oauth-client.create oauth-client cli");
    }
}
