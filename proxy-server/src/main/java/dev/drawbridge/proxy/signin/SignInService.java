package dev.drawbridge.proxy.signin;

import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.RequestPath;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.identity.SessionTokens;
import dev.drawbridge.proxy.identity.TokenKind;
import dev.drawbridge.proxy.logs.SignInLog;
import dev.drawbridge.proxy.logs.SignInRecord;
import dev.drawbridge.proxy.pki.ServerKeys;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What the sign-in host and the app hosts share: where users sign in, one-time codes that carry a
 * sign-in from the sign-in host to an app host, return-path validation (no open redirects: the
 * browser only ever goes back to a path on the app it came from), and the checks that keep a
 * session valid (user enabled, not revoked, not idle).
 */
public final class SignInService {
    public static final Duration CODE_TTL = Duration.ofSeconds(60);
    public static final String CALLBACK = ".drawbridge/callback";
    public static final String SIGNOUT = ".drawbridge/signout";

    private final DirectoryStore store;
    private final SessionTokens tokens;
    private final ServerConfig.IdentitySettings settings;
    private final Clock clock;
    private final String loginOrigin;
    private final SignInLog log;

    public SignInService(DirectoryStore store, SessionTokens tokens, ServerConfig.IdentitySettings settings, Clock clock,
                         String loginOrigin, SignInLog log) {
        this.log = log;
        this.store = store;
        this.tokens = tokens;
        this.settings = settings;
        this.clock = clock;
        this.loginOrigin = loginOrigin;
    }

    public SessionTokens tokens() {
        return tokens;
    }

    public DirectoryStore store() {
        return store;
    }

    public ServerConfig.IdentitySettings settings() {
        return settings;
    }

    public Clock clock() {
        return clock;
    }

    public String loginOrigin() {
        return loginOrigin;
    }

    /** Writes a line of the sign-in log. */
    public void log(SignInRecord line) {
        log.write(line);
    }

    /**
     * A safe path to return to on {@code app}: an absolute path under the app's external path (by the app's letter-case
     * rule), with no scheme-relative ("//"), backslash, control-character or dot-segment tricks (a browser resolves
     * {@code /hr/../admin} to another app's path); otherwise the app's root.
     */
    public static String safeReturnPath(PublishedApp app, String requested) {
        String root = app.externalPath();
        if (requested == null || requested.isEmpty() || requested.length() > 4096
                || requested.startsWith("//") || requested.contains("\\") || requested.contains("%5c") || requested.contains("%5C")
                || requested.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return root;
        }
        int query = requested.indexOf('?');
        String path = query < 0 ? requested : requested.substring(0, query);
        if (app.remainder(path).isEmpty() || path.equals(root.substring(0, root.length() - 1))) {
            return root;
        }
        try {
            RequestPath.parse(path);
        } catch (RequestPath.BadPathException e) {
            return root;
        }
        return requested;
    }

    /**
     * Where a browser goes to sign in for {@code app}, returning to {@code path}; {@code binding} ties the sign-in to the
     * browser ({@link BrowserBinding}); {@code stepUp} asks for the second factor even with a sign-in session.
     */
    public String signInUrl(PublishedApp app, String path, String binding, boolean stepUp) {
        return loginOrigin + "/signin?app=" + enc(app.signInRef()) + "&p=" + enc(safeReturnPath(app, path)) + "&b=" + enc(binding)
                + (stepUp ? "&mfa=1" : "");
    }

    /**
     * Issues a one-time code for the user and app, bound to the browser that started the sign-in ({@code binding});
     * returns the app host's callback URL carrying it.
     */
    public String callbackUrl(PublishedApp app, String binding, DirectoryUser user, List<String> amr, Instant authTime, String path) {
        String code = ServerKeys.randomToken(32);
        Instant now = clock.instant();
        store.insertCode(hash(code), user.id(), app.id(), amr, authTime, now.plus(CODE_TTL), BrowserBinding.parse(binding).orElseThrow());
        return app.externalOrigin() + app.externalPath() + CALLBACK + "?code=" + enc(code) + "&p=" + enc(safeReturnPath(app, path));
    }

    /**
     * Where a browser that has signed in goes for {@code app}: the callback with a code bound to it when the sign-in
     * carries a binding; otherwise the app itself (a bookmarked sign-in link, a sign-in started on the sign-in host),
     * which starts a bound sign-in that the sign-in session now completes at once. No unbound code is ever issued.
     */
    public String returnUrl(PublishedApp app, Optional<String> binding, DirectoryUser user, List<String> amr, Instant authTime,
                            String path) {
        return binding.isPresent() ? callbackUrl(app, binding.get(), user, amr, authTime, path)
                : app.externalOrigin() + safeReturnPath(app, path);
    }

    public Optional<DirectoryStore.CodeGrant> redeem(String code) {
        if (code == null || code.isEmpty() || code.length() > 200) {
            return Optional.empty();
        }
        return store.redeemCode(hash(code), clock.instant());
    }

    /** A new session token of {@code kind} for an audience (the sign-in host's session or one app's). */
    public String newSession(TokenKind kind, String audience, String userId, List<String> amr, Instant authTime) {
        Instant now = clock.instant();
        return tokens.session(kind, audience, userId, UUID.randomUUID().toString(), amr, authTime,
                authTime.plus(settings.sessionLifetime()), now);
    }

    /** The same session with its last-activity time moved to now (sliding idle timeout). */
    public String refreshed(TokenKind kind, String audience, SessionTokens.Session s) {
        return tokens.session(kind, audience, s.userId(), s.sessionId(), s.amr(), s.authTime(), s.expiresAt(), clock.instant());
    }

    /**
     * A verified token of {@code kind} (a session, or an access token) whose user is still enabled, not revoked since,
     * and not idle too long.
     */
    public Optional<Valid> check(String token, TokenKind kind, String audience) {
        Optional<SessionTokens.Session> s = tokens.verify(token, kind, audience);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (s.get().lastSeen().plus(settings.idleTimeout()).isBefore(now)) {
            return Optional.empty();
        }
        Optional<DirectoryUser> u = store.user(s.get().userId());
        if (u.isEmpty() || !u.get().enabled() || !s.get().authTime().isAfter(u.get().sessionsValidAfter())) {
            return Optional.empty();
        }
        return Optional.of(new Valid(s.get(), u.get()));
    }

    /** A session that passed every check, with its user. */
    public record Valid(SessionTokens.Session session, DirectoryUser user) {
        /** Whether the cookie should be re-issued to slide the idle timeout. */
        public boolean staleAfter(Duration d, Instant now) {
            return session.lastSeen().plus(d).isBefore(now);
        }
    }

    private static String hash(String code) {
        return HexFormat.of().formatHex(ServerKeys.sha256(code));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
