package dev.drawbridge.proxy.signin;

import dev.drawbridge.proxy.pki.ServerKeys;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Binds a sign-in to the browser that started it, so that the app host's callback only redeems a
 * one-time code in that browser (no login CSRF: an attacker cannot plant their own session with
 * their own code). The flow:
 * <pre>
 *   app host     no session → a random nonce in a {@code __Host-} cookie (HttpOnly, Secure, SameSite=Lax,
 *                10 minutes), its SHA-256 (the binding) in the sign-in URL ({@code b=})
 *   login host   keeps the binding in a per-app {@code __Host-} cookie until the user has signed in
 *                (form, second factor, federation), then stores it with the one-time code
 *   app host     callback: the code is redeemed (spent whatever happens next), and accepted only when
 *                the SHA-256 of this browser's nonce equals the code's binding (constant time); the
 *                nonce cookie is cleared
 * </pre>
 * The nonce never leaves the app host's cookie; the binding alone is worthless without it. The
 * {@code __Host-} prefix keeps other hosts (even sibling subdomains) from setting these cookies;
 * backends can neither read them nor set them ({@link Cookies#isReserved}).
 */
public final class BrowserBinding {
    /** The app host's nonce cookie: this prefix and the first 16 hex digits of the binding. */
    public static final String NONCE_PREFIX = "__Host-drawbridge_nonce_";
    /** The login host's cookie holding the binding of a sign-in in progress: this prefix and the app id. */
    static final String FLOW_PREFIX = "__Host-drawbridge_flow_";
    /** How long a sign-in may take from the app's redirect to the callback. */
    public static final Duration TTL = Duration.ofMinutes(10);
    /** Sign-ins a browser may have in flight on one app host; a new one beyond that clears the others. */
    public static final int MAX_IN_FLIGHT = 4;
    private static final Pattern BINDING = Pattern.compile("[0-9a-f]{64}");

    private BrowserBinding() {
    }

    /** Starts a sign-in on an app host: sets the nonce cookie; returns the binding for the sign-in URL. */
    public static String start(Request request, Response response) {
        List<String> inFlight = Request.getCookies(request).stream().map(HttpCookie::getName)
                .filter(n -> n.startsWith(NONCE_PREFIX)).distinct().toList();
        if (inFlight.size() >= MAX_IN_FLIGHT) {
            // A browser that keeps starting sign-ins (a loop, or many tabs) keeps a bounded number of cookies.
            inFlight.forEach(n -> clear(response, n));
        }
        String nonce = ServerKeys.randomToken(32);
        String binding = bindingOf(nonce);
        Response.addCookie(response, HttpCookie.build(nonceCookie(binding), nonce).path("/").secure(true).httpOnly(true)
                .sameSite(HttpCookie.SameSite.LAX).maxAge(TTL.toSeconds()).build());
        return binding;
    }

    /**
     * Whether this browser started the sign-in a code was bound to: its nonce cookie for {@code binding} hashes to
     * {@code binding} (constant-time comparison). The cookie is cleared either way.
     */
    public static boolean matches(Request request, Response response, String binding) {
        if (!BINDING.matcher(binding).matches()) {
            return false;
        }
        String name = nonceCookie(binding);
        Optional<String> nonce = Cookies.get(request, name);
        if (nonce.isEmpty()) {
            return false;
        }
        clear(response, name);
        return MessageDigest.isEqual(bindingOf(nonce.get()).getBytes(StandardCharsets.US_ASCII),
                binding.getBytes(StandardCharsets.US_ASCII));
    }

    /** A binding from a URL or form parameter, when it has the right form. */
    public static Optional<String> parse(String value) {
        return value != null && BINDING.matcher(value).matches() ? Optional.of(value) : Optional.empty();
    }

    /** On the login host: keeps the binding of a sign-in to {@code appId} until a code is issued. */
    static void remember(Response response, String appId, String binding) {
        Response.addCookie(response, HttpCookie.build(flowCookie(appId), binding).path("/").secure(true).httpOnly(true)
                .sameSite(HttpCookie.SameSite.LAX).maxAge(TTL.toSeconds()).build());
    }

    /** On the login host: the binding kept for a sign-in to {@code appId}, cleared as it is taken. */
    static Optional<String> take(Request request, Response response, String appId) {
        Optional<String> kept = Cookies.get(request, flowCookie(appId)).flatMap(BrowserBinding::parse);
        if (kept.isPresent()) {
            clear(response, flowCookie(appId));
        }
        return kept;
    }

    static String bindingOf(String nonce) {
        return HexFormat.of().formatHex(ServerKeys.sha256(nonce));
    }

    private static String nonceCookie(String binding) {
        return NONCE_PREFIX + binding.substring(0, 16);
    }

    private static String flowCookie(String appId) {
        return FLOW_PREFIX + appId.replaceAll("[^A-Za-z0-9-]", "");
    }

    private static void clear(Response response, String name) {
        Response.addCookie(response, HttpCookie.build(name, "").path("/").secure(true).httpOnly(true).maxAge(0)
                .sameSite(HttpCookie.SameSite.LAX).build());
    }
}
