package dev.drawbridge.proxy.apps;

import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.PathPolicy;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.tunnel.ConnectorStore;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Proves {@link AppService} against embedded H2: the case flag is stored and shown, and two apps of one host whose
 * paths differ only in letter case are refused (routing could not tell them apart), on create and on replace. An edit
 * of an app's settings keeps its single sign-on (which {@link AppSpec} does not carry), and an app with single sign-on
 * cannot be made passthrough.
 */
class AppServiceTest {
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    @TempDir
    Path dir;
    Database db;
    AppService apps;
    AppStore store;
    PathPolicyStore paths;
    String group;

    @BeforeEach
    void open() {
        db = Database.h2(dir);
        ConnectorStore connectors = new ConnectorStore(db);
        group = connectors.ensureDefaultGroup(NOW).id();
        store = new AppStore(db);
        paths = new PathPolicyStore(db);
        apps = new AppService(store, connectors, new AppValidator("example.com", 443), new Routes(store), Clock.fixed(NOW, ZoneOffset.UTC),
                AppService.SsoChecks.NONE, paths::of);
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    private static AppSpec spec(String name, String url, Boolean caseInsensitive) {
        return new AppSpec(name, url, "http://intranet/", null, null, null, null, null, caseInsensitive);
    }

    @Test
    void theCaseFlagIsStoredAndShown() throws Exception {
        AppView iis = apps.create(spec("IIS", "https://intra.example.com/hr/", true));
        AppView plain = apps.create(spec("Plain", "https://intra.example.com/docs/", null));
        assertThat(apps.get(iis.id()).orElseThrow().caseInsensitivePaths()).isTrue();
        assertThat(apps.get(plain.id()).orElseThrow().caseInsensitivePaths()).isFalse();
        assertThat(apps.replace(iis.id(), spec("IIS", "https://intra.example.com/hr/", false)).orElseThrow().caseInsensitivePaths()).isFalse();
    }

    @Test
    void linkTranslationIsOffByDefaultStoredAndShownAndKeptBySingleSignOn() throws Exception {
        AppView plain = apps.create(spec("Plain", "https://plain.example.com/", null));
        assertThat(plain.translateLinksInBody()).isFalse();
        AppView on = apps.create(new AppSpec("Benefits", "https://benefits.example.com/", "http://benefits/", null, null, null,
                PreAuthentication.DIRECTORY, null, null, true));
        assertThat(on.translateLinksInBody()).isTrue();
        assertThat(apps.get(on.id()).orElseThrow().translateLinksInBody()).isTrue();
        assertThat(store.find(on.id()).orElseThrow().translateLinksInBody()).isTrue();
        store.setSso(on.id(), HEADERS, NOW);
        assertThat(store.find(on.id()).orElseThrow().translateLinksInBody()).isTrue();
        assertThat(store.find(on.id()).orElseThrow().withSso(HEADERS).translateLinksInBody()).isTrue();
        AppView off = apps.replace(on.id(), new AppSpec("Benefits", "https://benefits.example.com/", "http://benefits/", null, null, null,
                PreAuthentication.DIRECTORY, null, null, false)).orElseThrow();
        assertThat(off.translateLinksInBody()).isFalse();
        assertThat(store.find(on.id()).orElseThrow().translateLinksInBody()).isFalse();
    }

    /** A passthrough app has no sign-in: an app whose path rules sign users in stays pre-authenticated until they go. */
    @Test
    void anAppWhosePathRulesSignUsersInCannotBeMadePassthrough() throws Exception {
        AppSpec directory = new AppSpec("Intranet", "https://intra.example.com/", "http://intranet/", null, null, null,
                PreAuthentication.DIRECTORY);
        AppSpec passthrough = new AppSpec("Intranet", "https://intra.example.com/", "http://intranet/", null, null, null,
                PreAuthentication.PASSTHROUGH);
        AppView app = apps.create(directory);
        paths.replace(app.id(), List.of(new PathPolicy("/admin", null, List.of("g-admins"), List.of()),
                new PathPolicy("/public", PreAuthentication.PASSTHROUGH, List.of(), List.of())));
        assertThatThrownBy(() -> apps.replace(app.id(), passthrough)).isInstanceOfSatisfying(ConflictException.class,
                e -> assertThat(e.getMessage()).contains("/admin").doesNotContain("/public"));
        assertThat(apps.get(app.id()).orElseThrow().preAuthentication()).isEqualTo(PreAuthentication.DIRECTORY);
        paths.replace(app.id(), List.of(new PathPolicy("/public", PreAuthentication.PASSTHROUGH, List.of(), List.of())));
        assertThat(apps.replace(app.id(), passthrough).orElseThrow().preAuthentication()).isEqualTo(PreAuthentication.PASSTHROUGH);
    }

    @Test
    void scriptTranslationIsOffByDefaultStoredAndNeedsBodyTranslation() throws Exception {
        AppView plain = apps.create(spec("Plain", "https://plain.example.com/", null));
        assertThat(plain.translateLinksInScripts()).isFalse();
        assertThatThrownBy(() -> apps.create(new AppSpec("Lone", "https://lone.example.com/", "http://lone/", null, null, null,
                PreAuthentication.DIRECTORY, null, null, false, true)))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .anySatisfy(f -> assertThat(f.field()).isEqualTo("translateLinksInScripts")));
        AppView on = apps.create(new AppSpec("Benefits", "https://benefits.example.com/", "http://benefits/", null, null, null,
                PreAuthentication.DIRECTORY, null, null, true, true));
        assertThat(on.translateLinksInScripts()).isTrue();
        assertThat(store.find(on.id()).orElseThrow().translateLinksInScripts()).isTrue();
        store.setSso(on.id(), HEADERS, NOW);
        assertThat(store.find(on.id()).orElseThrow().translateLinksInScripts()).isTrue();
        assertThat(store.find(on.id()).orElseThrow().withSso(HEADERS).translateLinksInScripts()).isTrue();
        assertThat(store.find(on.id()).orElseThrow().withTranslateLinksInBody(true).translateLinksInScripts()).isTrue();
        AppView off = apps.replace(on.id(), new AppSpec("Benefits", "https://benefits.example.com/", "http://benefits/", null, null, null,
                PreAuthentication.DIRECTORY, null, null, true, false)).orElseThrow();
        assertThat(off.translateLinksInScripts()).isFalse();
        assertThat(store.find(on.id()).orElseThrow().translateLinksInScripts()).isFalse();
    }

    @Test
    void pathsThatDifferOnlyInLetterCaseCannotShareAHost() throws Exception {
        apps.create(spec("HR", "https://intra.example.com/hr/", null));
        assertThatThrownBy(() -> apps.create(spec("HR2", "https://intra.example.com/HR/", null)))
                .isInstanceOf(ConflictException.class).hasMessageContaining("only in letter case");
        AppView other = apps.create(spec("Other", "https://intra.example.com/other/", null));
        assertThatThrownBy(() -> apps.replace(other.id(), spec("Other", "https://intra.example.com/Hr/", true)))
                .isInstanceOf(ConflictException.class);
        // Another host, or the same app re-saved, is fine.
        apps.create(spec("HR elsewhere", "https://hr2.example.com/HR/", null));
        assertThat(apps.list()).hasSize(3);
    }

    static final SsoSettings HEADERS = SsoSettings.headers(List.of(HeaderRule.of("X-Remote-User", HeaderSource.UPN),
            new HeaderRule("X-Groups", HeaderSource.GROUPS, null, false, true, null, ";")));

    /** A pre-authenticated app with header-based single sign-on, stored as it would be after PUT /apps/{id}/sso. */
    private PublishedApp withSso() throws ConflictException {
        PublishedApp a = new PublishedApp("sso1", "SSO", URI.create("https://sso.example.com/"), "sso.example.com", "/",
                URI.create("http://intranet/"), group, BackendTimeout.DEFAULT, true, PreAuthentication.DIRECTORY, NOW, NOW)
                .withSso(HEADERS);
        store.insert(a);
        return a;
    }

    @Test
    void anEditOfTheAppsSettingsKeepsItsSingleSignOn() throws Exception {
        PublishedApp a = withSso();
        apps.replace(a.id(), new AppSpec("SSO renamed", "https://sso.example.com/", "http://intranet2/", null, null, false,
                PreAuthentication.DIRECTORY));
        PublishedApp stored = store.find(a.id()).orElseThrow();
        assertThat(stored.name()).isEqualTo("SSO renamed");
        assertThat(stored.internalUrl()).hasToString("http://intranet2/");
        assertThat(stored.sso()).isEqualTo(HEADERS);
    }

    @Test
    void anAppWithSingleSignOnCannotBeMadePassthrough() throws Exception {
        PublishedApp a = withSso();
        assertThatThrownBy(() -> apps.replace(a.id(), new AppSpec("SSO", "https://sso.example.com/", "http://intranet/", null, null,
                null, PreAuthentication.PASSTHROUGH))).isInstanceOf(ConflictException.class)
                .hasMessageContaining("remove single sign-on first")
                .satisfies(e -> assertThat(((ConflictException) e).field()).isEqualTo("preAuthentication"));
        PublishedApp stored = store.find(a.id()).orElseThrow();
        assertThat(stored.preAuthentication()).isEqualTo(PreAuthentication.DIRECTORY);
        assertThat(stored.sso()).isEqualTo(HEADERS);
    }
}
