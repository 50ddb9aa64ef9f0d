package dev.drawbridge.proxy.preauth;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.identity.SessionTokens;
import dev.drawbridge.proxy.logs.SignInLog;
import dev.drawbridge.proxy.signin.SignInService;
import dev.drawbridge.proxy.store.Database;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * Component-test fixture for the app hosts' authentication: the real sign-in service (one-time codes, session tokens
 * signed with a fresh key) over an H2 database in a temporary folder, two users, and helpers for published apps and
 * sessions. No proxy server, no connector.
 */
final class Identities implements AutoCloseable {
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final String LOGIN = "https://login.example.com";

    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final Database db;
    final DirectoryStore store;
    final SessionTokens tokens;
    final SignInService service;
    final DirectoryUser alice;
    final DirectoryUser bob;

    Identities(Path dir) throws Exception {
        db = Database.h2(dir);
        store = new DirectoryStore(db);
        tokens = new SessionTokens(new JWKSet(new ECKeyGenerator(Curve.P_256).keyID("k1").generate()), LOGIN, clock);
        service = new SignInService(store, tokens, ServerConfig.IdentitySettings.DEFAULTS, clock, LOGIN, new SignInLog(db, clock));
        alice = store.createUser("alice@corp.example", "Alice", Optional.empty(), Optional.empty(), Optional.empty(), NOW.minusSeconds(3600));
        bob = store.createUser("bob@corp.example", "Bob", Optional.empty(), Optional.empty(), Optional.empty(), NOW.minusSeconds(3600));
    }

    /** A published app at https://{host}{path} with the given pre-authentication and assignment setting. */
    static PublishedApp app(String id, String host, String path, PreAuthentication preAuth, boolean assignmentRequired) {
        return new PublishedApp(id, id, URI.create("https://" + host + path), host, path, URI.create("http://intranet/" + id + "/"), "g",
                BackendTimeout.DEFAULT, true, preAuth, new AccessSettings(assignmentRequired, true, true, false), NOW, NOW);
    }

    /** A verified session of {@code user} with the given methods, last seen {@code idle} ago. */
    static SignInService.Valid session(DirectoryUser user, List<String> amr, Duration idle) {
        return new SignInService.Valid(new SessionTokens.Session(user.id(), "sid-" + user.id(), amr, NOW.minusSeconds(600),
                NOW.minusSeconds(600), NOW.minus(idle), NOW.plus(Duration.ofHours(8))), user);
    }

    @Override
    public void close() throws Exception {
        db.close();
    }
}
