package dev.drawbridge.proxy.admin.oauth;

import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.OAuthClientSpec;
import dev.drawbridge.model.api.OAuthClientView;
import dev.drawbridge.model.api.OAuthGrant;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.Problem.FieldError;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.admin.operation.FakeAdminRequest;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.RouteTable;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.oauth.OAuthClientStore;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.web.Json;
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
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A client's app list fails closed: {@code []} ("any app") is only ever said explicitly, so a create or replace that
 * leaves {@code appIds} out (a script sending only what it changes, an older console) is a 400 and never widens a client
 * limited to apps; and an app deleted since stays on the client's list (reaching nothing) instead of forcing the admin to
 * empty the list to save anything else.
 */
class OAuthClientAppListTest {
    static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");
    static final List<OAuthGrant> GRANTS = List.of(OAuthGrant.AUTHORIZATION_CODE, OAuthGrant.REFRESH_TOKEN);
    static final List<String> REDIRECTS = List.of("http://127.0.0.1/cb");
    @TempDir
    Path dir;
    Database db;
    OAuthClientStore store;
    OAuthClientsApi api;
    final AtomicReference<RouteTable> routes = new AtomicReference<>();

    @BeforeEach
    void open() throws Exception {
        db = Database.h2(dir);
        routes.set(new RouteTable(List.of(app("app-hr"), app("app-crm"))));
        store = new OAuthClientStore(db);
        api = new OAuthClientsApi(store, routes::get, Clock.fixed(NOW, ZoneOffset.UTC), new AuditLog(db, Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    static PublishedApp app(String id) {
        URI u = URI.create("https://" + id + ".example.test/");
        return new PublishedApp(id, id, u, u.getHost(), "/", URI.create("http://" + id + ".corp/"), "g", BackendTimeout.DEFAULT, true,
                PreAuthentication.DIRECTORY, AccessSettings.DEFAULTS, NOW, NOW);
    }

    private void create(List<String> appIds) throws Exception {
        api.create(Caller.BOOTSTRAP, new FakeAdminRequest().body(new OAuthClientSpec("cli", "CLI", REDIRECTS, GRANTS, appIds)));
    }

    private void replace(OAuthClientSpec spec) throws Exception {
        api.replace(Caller.BOOTSTRAP, new FakeAdminRequest().path("id", "cli").body(spec));
    }

    private static void refusedForAppIds(ValidationException e) {
        assertThat(e.errors()).extracting(FieldError::field).containsExactly("appIds");
        assertThat(e.errors()).extracting(FieldError::message).containsExactly("appIds is required: list the apps, or [] for any app");
    }

    @Test
    void aPutWithoutAppIdsDoesNotWidenALimitedClientToEveryApp() throws Exception {
        create(List.of("app-hr"));
        assertThatThrownBy(() -> replace(new OAuthClientSpec(null, "CLI (renamed)", REDIRECTS, GRANTS, null)))
                .isInstanceOfSatisfying(ValidationException.class, OAuthClientAppListTest::refusedForAppIds);
        OAuthClientView now = store.find("cli").orElseThrow();
        assertThat(now.mayReach("some-other-app")).as("client limited to app-hr after a PUT without appIds").isFalse();
        assertThat(now.displayName()).as("nothing of the refused PUT applied").isEqualTo("CLI");
    }

    @Test
    void aBodyWithoutTheAppListOrWithNullIsRefusedAsJsonToo() throws Exception {
        create(List.of("app-hr"));
        for (String body : List.of("{\"displayName\":\"CLI 2\",\"redirectUris\":[\"http://127.0.0.1/cb\"],\"grants\":[\"AUTHORIZATION_CODE\"]}",
                "{\"displayName\":\"CLI 2\",\"redirectUris\":[\"http://127.0.0.1/cb\"],\"grants\":[\"AUTHORIZATION_CODE\"],\"appIds\":null}")) {
            OAuthClientSpec spec = Json.MAPPER.readValue(body, OAuthClientSpec.class);
            assertThatThrownBy(() -> replace(spec)).as(body).isInstanceOfSatisfying(ValidationException.class, OAuthClientAppListTest::refusedForAppIds);
            assertThatThrownBy(() -> api.create(Caller.BOOTSTRAP, new FakeAdminRequest().body(spec))).as(body)
                    .isInstanceOfSatisfying(ValidationException.class, OAuthClientAppListTest::refusedForAppIds);
        }
        assertThat(store.list()).extracting(OAuthClientView::clientId).containsExactly("cli");
        assertThat(store.find("cli").orElseThrow().appIds()).containsExactly("app-hr");
    }

    @Test
    void aCreateWithoutAppIdsIsRefusedAndAnEmptyListIsTheExplicitAnyApp() throws Exception {
        assertThatThrownBy(() -> create(null)).isInstanceOfSatisfying(ValidationException.class, OAuthClientAppListTest::refusedForAppIds);
        assertThat(store.list()).isEmpty();
        create(List.of());
        assertThat(store.find("cli").orElseThrow().mayReach("app-crm")).isTrue();
    }

    @Test
    void anAppDeletedSinceStaysOnTheListReachingNothingAndNewIdsMustExist() throws Exception {
        create(List.of("app-hr"));
        routes.set(new RouteTable(List.of(app("app-crm")))); // app-hr is deleted
        replace(new OAuthClientSpec(null, "CLI 2", REDIRECTS, GRANTS, List.of("app-hr")));
        OAuthClientView after = store.find("cli").orElseThrow();
        assertThat(after.displayName()).isEqualTo("CLI 2");
        assertThat(after.appIds()).as("the stored id of a deleted app is kept").containsExactly("app-hr");
        assertThat(after.mayReach("app-crm")).as("the list still limits the client").isFalse();
        assertThatThrownBy(() -> replace(new OAuthClientSpec(null, "CLI 3", REDIRECTS, GRANTS, List.of("app-hr", "app-gone"))))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::message)
                        .containsExactly("no published app has id 'app-gone'"));
        replace(new OAuthClientSpec(null, "CLI 3", REDIRECTS, GRANTS, List.of("app-crm")));
        assertThat(store.find("cli").orElseThrow().appIds()).containsExactly("app-crm");
        assertThatThrownBy(() -> replace(new OAuthClientSpec(null, "CLI 4", REDIRECTS, GRANTS, List.of("app-hr"))))
                .as("once dropped, a deleted app's id is new again").isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> api.create(Caller.BOOTSTRAP, new FakeAdminRequest().body(new OAuthClientSpec("cli2", "CLI", REDIRECTS, GRANTS,
                List.of("app-hr"))))).as("another client may not name the deleted app").isInstanceOf(ValidationException.class);
    }
}
