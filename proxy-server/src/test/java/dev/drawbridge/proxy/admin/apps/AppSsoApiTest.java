package dev.drawbridge.proxy.admin.apps;

import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.AuditLogEntry;
import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.admin.operation.FakeAdminRequest;
import dev.drawbridge.proxy.apps.AppService;
import dev.drawbridge.proxy.apps.AppStore;
import dev.drawbridge.proxy.apps.AppValidator;
import dev.drawbridge.proxy.apps.Routes;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.tunnel.ConnectorStore;
import dev.drawbridge.proxy.web.ValidationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code /apps/{id}/sso} without a server, over embedded H2: what GET and PUT answer, that the server itself runs the
 * single sign-on rules (a reserved header name in any spelling is refused here, not only by clients), that only a
 * pre-authenticated app gets a method, that the live routes carry the settings at once, and that the audit log records
 * each change with before and after, and nothing for a refused one.
 */
class AppSsoApiTest {
    static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    static final SsoSettings HEADERS = SsoSettings.headers(List.of(HeaderRule.of("X-Remote-User", HeaderSource.UPN),
            new HeaderRule("X-Groups", HeaderSource.GROUPS, null, false, true, "grp:", ";"),
            new HeaderRule("X-Department", HeaderSource.CLAIM, "department", false, false, null, null)));
    @TempDir
    Path dir;
    Database db;
    AppService apps;
    Routes routes;
    AuditLog audit;
    AppSsoApi api;
    String directoryApp, passthroughApp;

    @BeforeEach
    void open() throws Exception {
        db = Database.h2(dir);
        ConnectorStore connectors = new ConnectorStore(db);
        connectors.ensureDefaultGroup(NOW);
        AppStore store = new AppStore(db);
        routes = new Routes(store);
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        apps = new AppService(store, connectors, new AppValidator("example.com", 443), routes, clock);
        audit = new AuditLog(db, clock);
        api = new AppSsoApi(apps, audit);
        directoryApp = apps.create(new AppSpec("HR", "https://hr.example.com/", "http://hr.corp/", null, null, null,
                PreAuthentication.DIRECTORY)).id();
        passthroughApp = apps.create(new AppSpec("Wiki", "https://wiki.example.com/", "http://wiki.corp/", null, null, null,
                PreAuthentication.PASSTHROUGH)).id();
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    private Object get(String id) throws Exception {
        return ((Answer.Json) api.get(Caller.BOOTSTRAP, new FakeAdminRequest().path("id", id))).body();
    }

    private Answer put(String id, SsoSettings body) throws Exception {
        return api.replace(Caller.BOOTSTRAP, new FakeAdminRequest().path("id", id).body(body));
    }

    private List<AuditLogEntry> entries() {
        return audit.query(new AuditLog.Query(Optional.empty(), Optional.of("app.sso.update"), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), 0, 100));
    }

    @Test
    void settingsAreReadSetAndRemoved() throws Exception {
        assertThat(get(directoryApp)).isEqualTo(SsoSettings.NONE);
        Answer.Json set = (Answer.Json) put(directoryApp, HEADERS);
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.body()).isEqualTo(HEADERS);
        assertThat(get(directoryApp)).isEqualTo(HEADERS);
        assertThat(apps.get(directoryApp).map(AppView::ssoMethod)).contains(SsoMethod.HEADERS);
        // The live routes carry it at once: dispatch reads the app's settings from them.
        assertThat(routes.get().apps().stream().filter(a -> a.id().equals(directoryApp)).findFirst().orElseThrow().sso()).isEqualTo(HEADERS);

        assertThat(((Answer.Json) put(directoryApp, new SsoSettings(null, null))).body()).isEqualTo(SsoSettings.NONE);
        assertThat(apps.get(directoryApp).map(AppView::ssoMethod)).contains(SsoMethod.NONE);
        assertThat(routes.get().apps().stream().filter(a -> a.id().equals(directoryApp)).findFirst().orElseThrow().hasSso()).isFalse();
    }

    @Test
    void eachChangeIsAuditedWithBeforeAndAfter() throws Exception {
        put(directoryApp, HEADERS);
        put(directoryApp, SsoSettings.NONE);
        List<AuditLogEntry> log = entries();
        assertThat(log).hasSize(2);
        AuditLogEntry cleared = log.get(0), set = log.get(1);
        assertThat(set.actor()).isEqualTo("admin");
        assertThat(set.targetType()).isEqualTo("app");
        assertThat(set.targetId()).isEqualTo(directoryApp);
        assertThat(set.before()).contains("\"method\":\"NONE\"");
        assertThat(set.after()).contains("\"method\":\"HEADERS\"", "X-Remote-User", "X-Groups", "department");
        assertThat(cleared.before()).contains("X-Remote-User");
        assertThat(cleared.after()).contains("\"method\":\"NONE\"").doesNotContain("X-Remote-User");
    }

    @Test
    void anUnknownAppIsNotFoundWhateverTheBody() {
        for (String id : List.of("nope", "00000000-0000-0000-0000-000000000000")) {
            assertThatThrownBy(() -> get(id)).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.problem().status()).isEqualTo(404));
            assertThatThrownBy(() -> put(id, HEADERS)).isInstanceOfSatisfying(ApiException.class,
                    e -> assertThat(e.problem().status()).isEqualTo(404));
            assertThatThrownBy(() -> put(id, SsoSettings.headers(List.of(HeaderRule.of("Host", HeaderSource.UPN)))))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.problem().status()).isEqualTo(404));
        }
        assertThat(entries()).isEmpty();
    }

    @Test
    void aPassthroughAppGetsNoMethodButMayBeSetToNone() throws Exception {
        assertThatThrownBy(() -> put(passthroughApp, HEADERS)).isInstanceOfSatisfying(ConflictException.class, e -> {
            assertThat(e.field()).isEqualTo("method");
            assertThat(e.getMessage()).contains("pre-authentication");
        });
        assertThat(get(passthroughApp)).isEqualTo(SsoSettings.NONE);
        assertThat(entries()).isEmpty();
        assertThat(((Answer.Json) put(passthroughApp, SsoSettings.NONE)).body()).isEqualTo(SsoSettings.NONE);
    }

    /** The server runs the rules itself: a reserved name in any spelling, or not a token, is refused naming its field. */
    @ParameterizedTest
    @ValueSource(strings = {"Host", "x_forwarded_for", "X.Drawbridge.User", "Transfer_Encoding", "COOKIE", "Authorization",
            "content.length", "X-Remote-User\r\nX-Admin: 1", "X User", ""})
    void aHeaderTheRulesRefuseIsRefusedNamingItsField(String name) {
        SsoSettings bad = SsoSettings.headers(List.of(HeaderRule.of("X-Ok", HeaderSource.UPN), HeaderRule.of(name, HeaderSource.UPN)));
        assertThatThrownBy(() -> put(directoryApp, bad)).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.errors()).extracting(Problem.FieldError::field).containsExactly("headers[1].name"));
        assertThat(apps.sso(directoryApp)).contains(SsoSettings.NONE);
        assertThat(entries()).isEmpty();
    }

    @Test
    void everyProblemOfTheSettingsIsReportedAtOnce() {
        SsoSettings bad = SsoSettings.headers(List.of(HeaderRule.of("X-User", HeaderSource.UPN), HeaderRule.of("x_user", HeaderSource.EMAIL),
                HeaderRule.of("X-Claim", HeaderSource.CLAIM), new HeaderRule("X-Groups", HeaderSource.GROUPS, null, false, false, "a\nb", "")));
        assertThatThrownBy(() -> put(directoryApp, bad)).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.errors()).extracting(Problem.FieldError::field)
                        .containsExactly("headers[1].name", "headers[2].claim", "headers[3].prefix", "headers[3].separator"));
        assertThatThrownBy(() -> put(directoryApp, SsoSettings.headers(List.of()))).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.errors()).extracting(Problem.FieldError::field).containsExactly("headers"));
        assertThatThrownBy(() -> put(passthroughApp, new SsoSettings(SsoMethod.NONE, HEADERS.headers())))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.errors()).extracting(Problem.FieldError::field).containsExactly("headers"));
        assertThat(entries()).isEmpty();
    }
}
