package dev.drawbridge.proxy.apps;

import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.tunnel.ConnectorStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import static dev.drawbridge.proxy.apps.TestApps.NOW;
import static dev.drawbridge.proxy.apps.TestApps.app;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Proves {@link AppStore} against a real embedded H2 database: apps round-trip field for field, updates replace
 * them, and a second app at the same external host and path, or with the same name, is a conflict naming the field.
 * Single sign-on is written by {@code setSso} alone, and never stays on (or gets onto) an app that is not pre-authenticated.
 */
class AppStoreTest {
    @TempDir
    Path dataDir;
    private Database db;
    private AppStore apps;
    private String group;

    @BeforeEach
    void open() {
        db = Database.h2(dataDir);
        apps = new AppStore(db);
        group = new ConnectorStore(db).ensureDefaultGroup(NOW).id();
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    @Test
    void insertedAppRoundTrips() throws Exception {
        PublishedApp a = app("a1", "HR", "hr.apps.example.com", "/portal/", group);
        apps.insert(a);
        assertThat(apps.find("a1")).contains(a);
        assertThat(apps.find("missing")).isEmpty();
        assertThat(apps.all()).containsExactly(a);
    }

    @Test
    void anAppsOwnLimitsRoundTripAndCanBeRemoved() throws Exception {
        PublishedApp a = app("a1", "HR", "hr.apps.example.com", "/", group);
        PublishedApp limited = new PublishedApp(a.id(), a.name(), a.externalUrl(), a.externalHost(), a.externalPath(), a.internalUrl(),
                a.connectorGroupId(), a.backendTimeout(), a.translateHostHeader(), a.preAuthentication(), a.access(), a.createdAt(),
                a.updatedAt(), a.caseInsensitivePaths(), a.sso(), a.translateLinksInBody(), new AppLimits(7, 30, 420));
        apps.insert(limited);
        assertThat(apps.find("a1").orElseThrow().limits()).isEqualTo(new AppLimits(7, 30, 420));
        assertThat(apps.update(a)).isTrue();
        assertThat(apps.find("a1").orElseThrow().limits()).isEqualTo(AppLimits.NONE);
    }

    @Test
    void allIsOrderedByName() throws Exception {
        PublishedApp b = app("b", "Billing", "b.apps.example.com", "/", group);
        PublishedApp a = app("a", "Accounting", "a.apps.example.com", "/", group);
        apps.insert(b);
        apps.insert(a);
        assertThat(apps.all()).containsExactly(a, b);
    }

    @Test
    void updateReplacesEveryFieldButCreation() throws Exception {
        PublishedApp a = app("a1", "HR", "hr.apps.example.com", "/", group);
        apps.insert(a);
        PublishedApp changed = new PublishedApp("a1", "HR new", URI.create("https://people.apps.example.com/x/"),
                "people.apps.example.com", "/x/", URI.create("https://hr.corp:8443/app/"), group, BackendTimeout.DEFAULT,
                true, PreAuthentication.DIRECTORY, NOW.plusSeconds(999), NOW.plusSeconds(60));
        assertThat(apps.update(changed)).isTrue();
        PublishedApp stored = apps.find("a1").orElseThrow();
        assertThat(stored).usingRecursiveComparison().ignoringFields("createdAt").isEqualTo(changed);
        assertThat(stored.createdAt()).isEqualTo(a.createdAt());
        assertThat(apps.update(app("missing", "x", "x.apps.example.com", "/", group))).isFalse();
    }

    @Test
    void sameExternalHostAndPathIsAConflict() throws Exception {
        apps.insert(app("a1", "HR", "hr.apps.example.com", "/portal/", group));
        assertThatThrownBy(() -> apps.insert(app("a2", "Other", "hr.apps.example.com", "/portal/", group)))
                .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.field()).isEqualTo("externalUrl"));
        apps.insert(app("a3", "Other path", "hr.apps.example.com", "/other/", group));
        apps.insert(app("a4", "Other host", "wiki.apps.example.com", "/portal/", group));
        assertThat(apps.all()).hasSize(3);
    }

    @Test
    void sameNameIsAConflict() throws Exception {
        apps.insert(app("a1", "HR", "hr.apps.example.com", "/", group));
        assertThatThrownBy(() -> apps.insert(app("a2", "HR", "other.apps.example.com", "/", group)))
                .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.field()).isEqualTo("name"));
    }

    @Test
    void updateOntoAnotherAppsAddressIsAConflict() throws Exception {
        apps.insert(app("a1", "HR", "hr.apps.example.com", "/", group));
        PublishedApp wiki = app("a2", "Wiki", "wiki.apps.example.com", "/", group);
        apps.insert(wiki);
        assertThatThrownBy(() -> apps.update(app("a2", "Wiki", "hr.apps.example.com", "/", group)))
                .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.field()).isEqualTo("externalUrl"));
        assertThat(apps.find("a2")).contains(wiki);
    }

    @Test
    void deleteRemovesOnlyThatApp() throws Exception {
        apps.insert(app("a1", "HR", "hr.apps.example.com", "/", group));
        apps.insert(app("a2", "Wiki", "wiki.apps.example.com", "/", group));
        assertThat(apps.delete("a1")).isTrue();
        assertThat(apps.delete("a1")).isFalse();
        assertThat(apps.all()).extracting(PublishedApp::id).containsExactly("a2");
    }

    @Test
    void singleSignOnIsWrittenBySetSsoAloneAndOnlyOnAPreAuthenticatedApp() throws Exception {
        SsoSettings headers = SsoSettings.headers(List.of(HeaderRule.of("X-Remote-User", HeaderSource.UPN)));
        PublishedApp passthrough = app("a1", "HR", "hr.apps.example.com", "/", group);
        apps.insert(passthrough);
        assertThatThrownBy(() -> apps.setSso("a1", headers, NOW))
                .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.field()).isEqualTo("method"));
        assertThat(apps.find("a1").orElseThrow().sso()).isEqualTo(SsoSettings.NONE);
        assertThat(apps.setSso("a1", SsoSettings.NONE, NOW)).isTrue();
        assertThat(apps.setSso("missing", headers, NOW)).isFalse();

        PublishedApp directory = new PublishedApp("a1", "HR", passthrough.externalUrl(), passthrough.externalHost(), "/",
                passthrough.internalUrl(), group, BackendTimeout.LONG, false, PreAuthentication.DIRECTORY, NOW, NOW.plusSeconds(5));
        assertThat(apps.update(directory)).isTrue();
        assertThat(apps.setSso("a1", headers, NOW.plusSeconds(9))).isTrue();
        assertThat(apps.find("a1").orElseThrow().sso()).isEqualTo(headers);
        assertThat(apps.find("a1").orElseThrow().updatedAt()).isEqualTo(NOW.plusSeconds(9));
        // An update built without single sign-on (from an AppSpec) keeps it.
        assertThat(apps.update(new PublishedApp("a1", "HR renamed", passthrough.externalUrl(), passthrough.externalHost(), "/",
                passthrough.internalUrl(), group, BackendTimeout.LONG, false, PreAuthentication.DIRECTORY, NOW, NOW.plusSeconds(10))))
                .isTrue();
        assertThat(apps.find("a1").orElseThrow().sso()).isEqualTo(headers);
        // A stale passthrough edit cannot land on the app that now has single sign-on.
        assertThatThrownBy(() -> apps.update(passthrough))
                .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.field()).isEqualTo("preAuthentication"))
                .hasMessageContaining("remove single sign-on first");
        assertThat(apps.find("a1").orElseThrow().name()).isEqualTo("HR renamed");
        assertThat(apps.setSso("a1", SsoSettings.NONE, NOW)).isTrue();
        assertThat(apps.update(passthrough)).isTrue();
        assertThat(apps.find("a1")).contains(passthrough);
    }
}
