package dev.drawbridge.proxy.signin;

import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

import java.time.Duration;
import java.util.Optional;

/** The cookies Drawbridge sets, and reading one from a request. */
public final class Cookies {
    /** The sign-in host's session ({@code __Host-} prefix: secure, host-only, path /). */
    public static final String LOGIN = "__Host-drawbridge_login";
    /** Double-submit CSRF token of the sign-in host's forms. */
    public static final String CSRF = "__Host-drawbridge_csrf";
    /** An app host's session, scoped to the app's path; its audience names the app. */
    public static final String APP = "drawbridge_app";

    private Cookies() {
    }

    /**
     * Whether a cookie name is Drawbridge's own (the app session, sign-in flow and nonce cookies, anything
     * {@code __Host-drawbridge}/{@code __Secure-drawbridge}), in any letter case: such cookies are never forwarded to an
     * internal app, and an internal app may not set them.
     */
    public static boolean isReserved(String name) {
        String n = name.strip().toLowerCase(java.util.Locale.ROOT);
        return n.equals(APP) || n.startsWith("__host-drawbridge") || n.startsWith("__secure-drawbridge");
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

    /** The app session cookie with the app's flags; {@code maxAge} only when persistent. */
    public static void setAppCookie(Response response, String value, String path, boolean secure, boolean httpOnly,
                                    Optional<Duration> maxAge) {
        HttpCookie.Builder b = HttpCookie.build(APP, value).path(path).secure(secure).httpOnly(httpOnly).sameSite(HttpCookie.SameSite.LAX);
        maxAge.ifPresent(d -> b.maxAge(d.toSeconds()));
        Response.addCookie(response, b.build());
    }

    public static void clearAppCookie(Response response, String path, boolean secure) {
        Response.addCookie(response, HttpCookie.build(APP, "").path(path).secure(secure).httpOnly(true).maxAge(0).build());
    }
}
