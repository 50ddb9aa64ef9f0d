package dev.drawbridge.proxy.vault;

import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.BasicSso;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.proxy.apps.AppStore;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.pki.DataKey;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.tunnel.ConnectorStore;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Test fixture for the vault: an H2 database and a data key in a temporary folder, the vault over them, and helpers
 * for users and pre-authenticated apps that sign in with HTTP Basic (users' own or shared credentials).
 */
public final class VaultFixture implements AutoCloseable {
    public static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    public final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    public final Path dir;
    public final Database db;
    public final DataKey key;
    public final VaultStore store;
    public final Vault vault;
    public final DirectoryStore directory;
    public final AppStore apps;
    private final String group;

    public VaultFixture(Path dir) throws Exception {
        this.dir = dir;
        db = Database.h2(dir);
        key = DataKey.loadOrCreate(dir);
        store = new VaultStore(db, key);
        vault = new Vault(store, clock);
        directory = new DirectoryStore(db);
        apps = new AppStore(db);
        group = new ConnectorStore(db).ensureDefaultGroup(NOW).id();
    }

    public DirectoryUser user(String upn) throws Exception {
        return directory.createUser(upn, upn, Optional.empty(), Optional.empty(), Optional.empty(), NOW.minusSeconds(3600));
    }

    /** A stored pre-authenticated app at https://{id}.example.com/ whose backend is {@code internal}, with {@code sso}. */
    public PublishedApp app(String id, String internal, SsoSettings sso) throws Exception {
        PublishedApp a = basicApp(id, internal, sso, group);
        apps.insert(a);
        return a;
    }

    /** A pre-authenticated app (not stored) with {@code sso}, assignment not required. */
    public static PublishedApp basicApp(String id, String internal, SsoSettings sso, String group) {
        return new PublishedApp(id, "App " + id, URI.create("https://" + id + ".example.com/"), id + ".example.com", "/",
                URI.create(internal), group, BackendTimeout.DEFAULT, false, PreAuthentication.DIRECTORY,
                new AccessSettings(false, true, true, false), NOW, NOW, false, sso);
    }

    public static SsoSettings users() {
        return SsoSettings.basic(BasicSso.USER);
    }

    public static SsoSettings shared() {
        return SsoSettings.basic(BasicSso.SHARED);
    }

    @Override
    public void close() throws Exception {
        db.close();
    }
}
