package dev.drawbridge.proxy.vault;

import dev.drawbridge.model.api.BasicSso;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.sso.SsoInstruction.Credential;
import dev.drawbridge.proxy.apps.PublishedApp;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the vault holds for a request: the credential to send for a user of a {@code BASIC} app (theirs or the app's
 * shared one), or why there is none to send. A credential is sent only to the internal origin (scheme, host and port of
 * the app's internal URL) it was stored for, through the connector group it was stored for: after an administrator
 * points the app at another backend or moves it to another group (whose connectors resolve the same name in their own
 * network, and read the instruction), the user (or the administrator, for the shared one) must give it again, so
 * changing an app's internal URL or connector group never sends the passwords stored for it somewhere new. A user's
 * credential the backend refused is not sent again until the user replaces it, so a changed password does not lock
 * their account out by repeated tries; an app's shared credential is sent again (one user's refusal must not stop the
 * app for everyone: an administrator fixes it).
 */
public final class Vault {
    /** The sign-in host's pages where users store their passwords for apps. */
    public static final String PAGES = "/passwords";
    /** The query parameters of a page link: where to go back to, and why the user is asked. */
    public static final String RETURN = "return", REASON = "reason";

    private final VaultStore store;
    private final Clock clock;

    /** What the vault has for one request. */
    public sealed interface Lookup {
        /** Send {@code credential}; {@code version} names it in a refusal. */
        record Found(Credential credential, String version) implements Lookup {
            public Found {
                Objects.requireNonNull(credential, "credential");
                Objects.requireNonNull(version, "version");
            }
        }

        /** Nothing to send, and why. */
        record Missing(Why why) implements Lookup {
            public Missing {
                Objects.requireNonNull(why, "why");
            }
        }
    }

    /** Why there is no credential to send. */
    public enum Why {
        /** None was stored. */
        NOT_STORED,
        /** The backend refused the one stored. */
        REFUSED,
        /** It was stored for another internal origin or connector group of the app. */
        MOVED
    }

    public Vault(VaultStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * The page where the user stores their password for {@code appId} on the sign-in host {@code loginOrigin}, coming
     * back to {@code returnUrl} (none when empty), saying {@code why} they are asked.
     */
    public static String page(String loginOrigin, String appId, String returnUrl, Why why) {
        String query = (returnUrl.isEmpty() ? "" : RETURN + "=" + enc(returnUrl))
                + (why == Why.NOT_STORED ? "" : (returnUrl.isEmpty() ? "" : "&") + REASON + "=" + why.name().toLowerCase(Locale.ROOT));
        return loginOrigin + PAGES + "/" + enc(appId) + (query.isEmpty() ? "" : "?" + query);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /**
     * Where the app's credentials may go: the scheme, host and port of its internal URL, in lower case, and how they are
     * sent: {@code #basic}, or {@code #forms} with the login path and the field names. An administrator who points a login
     * form's settings at another page of the same backend (a profile form whose fields they can read back) or changes the
     * method thereby sends no stored password there: users store theirs again, the shared one is set again.
     */
    public static String origin(PublishedApp app) {
        String origin = (app.internalUrl().getScheme() + "://" + app.internalUrl().getRawAuthority()).toLowerCase(Locale.ROOT);
        SsoSettings sso = app.sso();
        return switch (sso.method()) {
            case FORMS -> origin + "#forms:" + (sso.forms() == null ? ""
                    : String.join("\n", String.valueOf(sso.forms().loginPath()), String.valueOf(sso.forms().usernameField()),
                    String.valueOf(sso.forms().passwordField())));
            case BASIC -> origin + "#basic";
            default -> origin;
        };
    }

    /**
     * Whether {@code stored} may go to {@code app} as the app is now: stored for its internal origin and through its
     * connector group.
     */
    public static boolean storedFor(VaultStore.Opened stored, PublishedApp app) {
        return stored.origin().equals(origin(app)) && stored.group().equals(app.connectorGroupId());
    }

    /** Whether users store their own credentials for {@code app}: a pre-authenticated app with method BASIC or FORMS for users' own. */
    public static boolean takesUsersOwn(PublishedApp app) {
        return app.preAuthentication() == PreAuthentication.DIRECTORY
                && app.sso().vaultCredentials().orElse(null) == BasicSso.Credentials.USER;
    }

    /** The credential to send for {@code userId}'s request to the BASIC or FORMS app {@code app}: theirs or the app's shared one. */
    public Lookup forRequest(PublishedApp app, String userId) {
        return isShared(app) ? shared(app) : forUser(app, userId);
    }

    /** Whether {@code app} signs every user in with its shared credential. */
    public static boolean isShared(PublishedApp app) {
        return app.sso().vaultCredentials().orElse(null) == BasicSso.Credentials.SHARED;
    }

    public Lookup forUser(PublishedApp app, String userId) {
        return lookup(app, store.user(app.id(), userId));
    }

    public Lookup shared(PublishedApp app) {
        return lookup(app, store.shared(app.id()));
    }

    private static Lookup lookup(PublishedApp app, Optional<VaultStore.Opened> opened) {
        if (opened.isEmpty()) {
            return new Lookup.Missing(Why.NOT_STORED);
        }
        VaultStore.Opened o = opened.get();
        if (!storedFor(o, app)) {
            return new Lookup.Missing(Why.MOVED);
        }
        if (o.refusedAt().isPresent()) {
            return new Lookup.Missing(Why.REFUSED);
        }
        return new Lookup.Found(o.credential(), o.version());
    }

    /** The user name {@code userId} stored for {@code appId} (never the password), to fill in the form again. */
    public Optional<String> storedUsername(String appId, String userId) {
        return store.user(appId, userId).map(o -> o.credential().username());
    }

    /** Every credential {@code userId} stored, by app id. */
    public Map<String, VaultStore.Opened> stored(String userId) {
        return store.userCredentials(userId);
    }

    /** Stores (or replaces) {@code userId}'s own credential for {@code app}, checked by the caller with SsoRules. */
    public void store(PublishedApp app, String userId, Credential credential) {
        store.putUser(app.id(), userId, origin(app), app.connectorGroupId(), credential, clock.instant());
    }

    public boolean delete(String appId, String userId) {
        return store.deleteUser(appId, userId);
    }

    /** Sets (or replaces) the shared credential of {@code app}, checked by the caller with SsoRules. */
    public void storeShared(PublishedApp app, Credential credential) {
        store.putShared(app.id(), origin(app), app.connectorGroupId(), credential, clock.instant());
    }

    public boolean deleteShared(String appId) {
        return store.deleteShared(appId);
    }

    /** Whether {@code appId} has a shared credential (it may be refused or for another origin). */
    public Optional<String> sharedUsername(String appId) {
        return store.shared(appId).map(o -> o.credential().username());
    }

    /**
     * The backend refused {@code sent}, sent for {@code userId} to {@code app}: a user's own is not sent again until
     * replaced (nothing happens when it was replaced meanwhile); an app's shared one stays.
     */
    public void refused(PublishedApp app, String userId, Lookup.Found sent) {
        if (!isShared(app)) {
            store.refusedUser(app.id(), userId, sent.version(), clock.instant());
        }
    }
}
