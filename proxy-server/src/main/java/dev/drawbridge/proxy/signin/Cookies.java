package dev.drawbridge.proxy.signin;

import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** The cookies Drawbridge sets, and reading one from a request. */
public final class Cookies {
    /** The sign-in host's session ({@code __Host-} prefix: secure, host-only, path /). */
    public static final String LOGIN = "__Host-drawbridge_login";
    /** Double-submit CSRF token of the sign-in host's forms. */
    public static final String CSRF = "__Host-drawbridge_csrf";
    /**
     * Prefix of an app's session cookie on its host ({@link #appCookie}); its audience names the app. A {@code __Host-}
     * cookie, because no other host may set it: a cookie of another name (the earlier {@code drawbridge_app}) can be set
     * for every app host by any sibling host with {@code Domain=<domain>}, which plants a session (cookie tossing).
     */
    public static final String APP_PREFIX = "__Host-drawbridge_app_";
    /** The app session cookie's name before it was a {@code __Host-} cookie: never read, never forwarded, never settable by an app. */
    static final String LEGACY_APP = "drawbridge_app";

    private Cookies() {
    }

    /**
     * Whether a cookie name is Drawbridge's own (the app session, sign-in flow and nonce cookies, anything
     * {@code __Host-drawbridge}/{@code __Secure-drawbridge}), in any letter case: such cookies are never forwarded to an
     * internal app, and an internal app may not set them.
     */
    public static boolean isReserved(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return n.equals(LEGACY_APP) || n.startsWith("__host-drawbridge") || n.startsWith("__secure-drawbridge");
    }

    public static Optional<String> get(Request request, String name) {
        return Request.getCookies(request).stream().filter(c -> c.getName().equals(name)).map(HttpCookie::getValue).findFirst();
    }

    static void setHostCookie(Response response, String name, String value, HttpCookie.SameSite sameSite) {
        Response.addCookie(response, HttpCookie.build(name, value).path("/").secure(true).httpOnly(true).sameSite(sameSite).build());
    }

    static void clearHostCookie(Response response, String name) {
        Response.addCookie(response, HttpCookie.build(name, "").path("/").secure(true).httpOnly(true).maxAge(0)
                .sameSite(HttpCookie.SameSite.LAX).build());
    }

    /** The name of the session cookie of the app {@code appId}: apps that share a host each have their own. */
    public static String appCookie(String appId) {
        return APP_PREFIX + appId.replaceAll("[^A-Za-z0-9-]", "");
    }

    /**
     * The session cookie of the app {@code appId}: host-only, Path=/ and Secure (what {@code __Host-} requires), SameSite=Lax,
     * HttpOnly unless the app turned it off; {@code maxAge} only when persistent.
     */
    public static void setAppCookie(Response response, String appId, String value, boolean httpOnly, Optional<Duration> maxAge) {
        HttpCookie.Builder b = HttpCookie.build(appCookie(appId), value).path("/").secure(true).httpOnly(httpOnly)
                .sameSite(HttpCookie.SameSite.LAX);
        maxAge.ifPresent(d -> b.maxAge(d.toSeconds()));
        Response.addCookie(response, b.build());
    }

    public static void clearAppCookie(Response response, String appId) {
        Response.addCookie(response, HttpCookie.build(appCookie(appId), "").path("/").secure(true).httpOnly(true).maxAge(0)
                .sameSite(HttpCookie.SameSite.LAX).build());
    }
}
