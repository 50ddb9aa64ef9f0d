package dev.drawbridge.proxy.saml;

import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.proxy.apps.AppStore;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.pki.DataKey;
import dev.drawbridge.proxy.preauth.IssuedResponses;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.PostgresTestDatabase;
import dev.drawbridge.proxy.tunnel.ConnectorStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SAML identity provider's tables (V31, V31_1) on a real PostgreSQL, what several nodes share: the app's key made
 * once (a second store, another node, reads the same), each AuthnRequest ID accepted once, each request answered once,
 * each issued response redeemed once, and the largest settings stored whole. Needs DRAWBRIDGE_TEST_PG_URL.
 */
class PostgresSamlStoreTest {
    static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    @TempDir
    static Path dir;
    static Database db;
    static PublishedApp app;
    static DirectoryUser alice;

    @BeforeAll
    static void connect() throws Exception {
        db = PostgresTestDatabase.fresh();
        String group = new ConnectorStore(db).ensureDefaultGroup(NOW).id();
        app = new PublishedApp("app1", "HR", URI.create("https://hr.example.com/"), "hr.example.com", "/", URI.create("http://intranet/"),
                group, BackendTimeout.DEFAULT, false, PreAuthentication.DIRECTORY, AccessSettings.DEFAULTS, NOW, NOW, false,
                new SsoSettings(SsoMethod.SAML, List.of(), null, new SamlSso(Requests.SP, Requests.ACS)));
        new AppStore(db).insert(app);
        alice = new DirectoryStore(db).createUser("alice@corp.example", "Alice", Optional.empty(), Optional.empty(), Optional.empty(), NOW);
    }

    @AfterAll
    static void close() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void theKeyIsMadeOnceAndEveryNodeReadsIt() throws Exception {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        DataKey key = DataKey.loadOrCreate(dir);
        IdpKeys.IdpKey first = new IdpKeys(db, key, clock, new AuditLog(db, clock)).forApp(app.id(), "test");
        IdpKeys.IdpKey other = new IdpKeys(db, key, clock, new AuditLog(db, clock)).forApp(app.id(), "test");
        assertThat(other.certificate()).isEqualTo(first.certificate());
        assertThat(other.key().getEncoded()).isEqualTo(first.key().getEncoded());
    }

    @Test
    void requestsAndResponsesAreOneTime() throws Exception {
        SamlStore store = new SamlStore(db);
        AuthnRequest r = AuthnRequest.parse(Requests.xml("_pg1", "https://login.example.com/saml/app1/sso", NOW).getBytes(StandardCharsets.UTF_8));
        String handle = store.remember(app.id(), r, Optional.of("/x"), NOW).orElseThrow();
        assertThat(new SamlStore(db).remember(app.id(), r, Optional.empty(), NOW)).as("the same ID again, on another node").isEmpty();
        assertThat(store.find(handle, app.id(), NOW)).get().extracting(SamlStore.Pending::relayState).isEqualTo(Optional.of("/x"));
        assertThat(store.find(handle, "other-app", NOW)).isEmpty();
        assertThat(store.answer(handle, NOW)).isTrue();
        assertThat(store.answer(handle, NOW)).isFalse();
        assertThat(store.find(handle, app.id(), NOW)).isEmpty();

        store.issued("PHJlc3BvbnNlLz4=", app.id(), alice.id(), List.of("pwd", "otp"), NOW, NOW.plus(SamlResponses.TTL));
        assertThat(store.redeem("other-app", "PHJlc3BvbnNlLz4=", NOW)).isEmpty();
        assertThat(store.redeem(app.id(), "PHJlc3BvbnNlLz4=", NOW.plus(SamlResponses.TTL))).as("expired").isEmpty();
        Optional<IssuedResponses.Grant> g = store.redeem(app.id(), "PHJlc3BvbnNlLz4=", NOW);
        assertThat(g).get().extracting(IssuedResponses.Grant::userId).isEqualTo(alice.id());
        assertThat(g.get().amr()).containsExactly("pwd", "otp");
        assertThat(new SamlStore(db).redeem(app.id(), "PHJlc3BvbnNlLz4=", NOW)).isEmpty();
        // Whom it was issued to stays known after it is redeemed (the ACS URL refuses it from another user's session).
        assertThat(store.issuedTo(app.id(), "PHJlc3BvbnNlLz4=")).contains(alice.id());
        assertThat(store.issuedTo("other-app", "PHJlc3BvbnNlLz4=")).isEmpty();
        assertThat(store.issuedTo(app.id(), "bm90IGlzc3VlZA==")).isEmpty();
    }

    @Test
    void theSettingsColumnHoldsTheLargestSettings() throws Exception {
        SamlSso big = new SamlSso(Requests.SP, Requests.ACS, "x".repeat(60_000), null, null, null, null, null, null);
        assertThat(new AppStore(db).setSso(app.id(), new SsoSettings(SsoMethod.SAML, List.of(), null, big), NOW)).isTrue();
        assertThat(new AppStore(db).find(app.id()).orElseThrow().sso().saml().spCertificate()).hasSize(60_000);
    }
}
