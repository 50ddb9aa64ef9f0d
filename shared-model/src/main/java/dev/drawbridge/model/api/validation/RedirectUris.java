package dev.drawbridge.model.api.validation;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Redirect URIs of native OAuth clients (RFC 8252), when registered and when a sign-in request names one.
 *
 * <p>Registered, a redirect URI is one of:
 * <ul>
 *   <li>a loopback redirect (§7.3): {@code http://127.0.0.1}, {@code http://[::1]} or {@code http://localhost}, written
 *   so, an optional port, a path, an optional query. The app listens on a port the operating system gives it, so the
 *   port is ignored when matching;</li>
 *   <li>a private-use scheme redirect (§7.1): a scheme in reverse domain name form with at least one dot
 *   ({@code com.example.app}), no authority, a path starting with one slash: {@code com.example.app:/callback}.</li>
 * </ul>
 * Never {@code https} (a claimed https redirect needs the operating system to prove the app owns the domain, which the
 * server cannot see: without that, the code would go to a web site), never plain {@code http} to another host, never a
 * fragment, a wildcard, user info, white space or a character outside printable ASCII.
 *
 * <p>Matched, a requested redirect URI must be the registered one character for character (no case folding, no
 * percent-decoding, no path normalisation, no extra query), except for the port of a loopback redirect, which may be
 * any port from 1 to 65535 or none. Matching reads both strings with one strict pattern and never with a URI parser,
 * so no parser can read a host that the comparison did not see ({@code http://127.0.0.1@evil.example/}).
 */
public final class RedirectUris {
    /** The longest redirect URI. */
    public static final int MAX_LENGTH = 2000;
    /** How many redirect URIs one client may register. */
    public static final int MAX_PER_CLIENT = 20;
    static final String FORMS = "use http://127.0.0.1/callback, http://[::1]/callback or http://localhost/callback (any port: "
            + "it is ignored), or a private-use scheme in reverse domain name form such as com.example.app:/callback";
    /** Scheme and loopback host, optional port, then a path and an optional query (group 3): the whole string. */
    private static final Pattern LOOPBACK = Pattern.compile("(http://(?:127\\.0\\.0\\.1|\\[::1]|localhost))(?::([0-9]{1,5}))?(/[^?#]*(?:\\?[^#]*)?)");
    private static final Pattern PRIVATE_USE = Pattern.compile("([a-z][a-z0-9-]*(?:\\.[a-z0-9][a-z0-9-]*)+):(/(?!/)[^#]*)");
    private static final Pattern PRINTABLE = Pattern.compile("[\\x21-\\x7E]+");

    private RedirectUris() {
    }

    /** Why {@code uri} cannot be registered, as a sentence; empty when it can. */
    public static Optional<String> problem(String uri) {
        if (uri == null || uri.isEmpty()) {
            return Optional.of("a redirect URI is required: " + FORMS);
        }
        if (uri.length() > MAX_LENGTH) {
            return Optional.of("a redirect URI has at most " + MAX_LENGTH + " characters");
        }
        if (!PRINTABLE.matcher(uri).matches()) {
            return Optional.of("redirect URI '" + printable(uri) + "' must be printable ASCII without spaces (percent-encode the rest)");
        }
        if (uri.contains("#")) {
            return Optional.of("redirect URI '" + uri + "' must not have a fragment (#)");
        }
        if (uri.contains("*")) {
            return Optional.of("redirect URI '" + uri + "' must not have a wildcard (*): each redirect URI is matched exactly");
        }
        try {
            new URI(uri);
        } catch (URISyntaxException e) {
            return Optional.of("redirect URI '" + uri + "' is not a valid URI (" + e.getReason() + "); " + FORMS);
        }
        Matcher loopback = LOOPBACK.matcher(uri);
        if (loopback.matches()) {
            return loopback.group(2) == null || validPort(loopback.group(2)) ? Optional.empty()
                    : Optional.of("redirect URI '" + uri + "' has port " + loopback.group(2) + ", not a port number (1-65535)");
        }
        if (PRIVATE_USE.matcher(uri).matches()) {
            return Optional.empty();
        }
        String scheme = uri.contains(":") ? uri.substring(0, uri.indexOf(':')) : "";
        if (scheme.equalsIgnoreCase("https")) {
            return Optional.of("redirect URI '" + uri + "' uses https: a native client's code never goes to a web site; " + FORMS);
        }
        if (scheme.equalsIgnoreCase("http")) {
            return Optional.of("redirect URI '" + uri + "': http only to 127.0.0.1, [::1] or localhost, in lower case, with a path"
                    + " and no user info; " + FORMS);
        }
        return Optional.of("redirect URI '" + uri + "' is neither a loopback nor a private-use scheme redirect; " + FORMS);
    }

    /**
     * Whether the {@code requested} redirect URI (as a sign-in request sent it, decoded once) is the {@code registered}
     * one: equal, but for the port of a loopback redirect.
     */
    public static boolean matches(String registered, String requested) {
        if (registered == null || requested == null) {
            return false;
        }
        Matcher r = LOOPBACK.matcher(registered);
        if (!r.matches()) {
            return registered.equals(requested);
        }
        Matcher q = LOOPBACK.matcher(requested);
        return q.matches() && (q.group(2) == null || validPort(q.group(2)))
                && q.group(1).equals(r.group(1)) && q.group(3).equals(r.group(3));
    }

    /** Whether {@code uri} is a loopback redirect (whose port is ignored when matching). */
    public static boolean isLoopback(String uri) {
        return uri != null && LOOPBACK.matcher(uri).matches();
    }

    private static boolean validPort(String digits) {
        int port = Integer.parseInt(digits);
        return port >= 1 && port <= 65535;
    }

    private static String printable(String s) {
        return s.replaceAll("[^\\x21-\\x7E]", "?");
    }
}
