package dev.drawbridge.model.api.validation;

import dev.drawbridge.model.api.Problem.FieldError;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The rules of an app's URLs that need no server state. The server adds its own (the external host one label under its
 * domain or covered by an uploaded certificate, never its admin or sign-in host, its public port; the internal path as
 * its router reads it).
 * <ul>
 *   <li>external: https, no query, fragment or user info, a plain path (below), no {@value #RESERVED_SEGMENT} segment;</li>
 *   <li>internal: http or https, no query, fragment or user info, a port from 1 to 65535.</li>
 * </ul>
 */
public final class AppUrls {
    /** The segment under which the proxy answers on app hosts ({@code <prefix>.drawbridge/callback}, {@code /signout}), in any case. */
    public static final String RESERVED_SEGMENT = ".drawbridge";
    /**
     * An external path that routing reads the same raw and normalised: segments of RFC 3986 unreserved characters and
     * sub-delimiters except ';' (a path parameter), none ending with '.' (Windows drops it).
     */
    private static final Pattern PLAIN_PATH = Pattern.compile("/(?:[A-Za-z0-9._~!$&'()*+,=:@-]*[A-Za-z0-9_~!$&'()*+,=:@-]/)*");

    private AppUrls() {
    }

    /** An absolute URL with a scheme and a host; or nothing, with a field error naming {@code example}. */
    public static Optional<URI> parse(String field, String value, String example, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(field, field + " is required, for example " + example));
            return Optional.empty();
        }
        try {
            URI u = new URI(value.strip());
            if (u.getScheme() == null || u.getHost() == null) {
                errors.add(new FieldError(field, "'" + value + "' is not an absolute URL with a host; for example " + example));
                return Optional.empty();
            }
            return Optional.of(u);
        } catch (URISyntaxException e) {
            errors.add(new FieldError(field, "'" + value + "' is not a valid URL (" + e.getReason() + "); for example " + example));
            return Optional.empty();
        }
    }

    /** The external URL {@code value} (parsed as {@code u}) must use https. */
    public static void checkExternalScheme(URI u, String value, List<FieldError> errors) {
        if (!"https".equalsIgnoreCase(u.getScheme())) {
            errors.add(new FieldError("externalUrl", "external URL '" + value + "' must use https://"));
        }
    }

    /** The external URL has no query, fragment or user info, and a plain path outside the reserved segment. */
    public static void checkExternalParts(URI u, List<FieldError> errors) {
        String f = "externalUrl";
        if (u.getRawQuery() != null || u.getRawFragment() != null || u.getRawUserInfo() != null) {
            errors.add(new FieldError(f, "external URL must not have a query, fragment or user info"));
        }
        String path = withSlash(u.getRawPath());
        if (path.contains("%") || path.contains("//") || path.contains("/./") || path.contains("/../")) {
            errors.add(new FieldError(f, "external URL path '" + path + "' must be plain (no encoded characters, empty or dot segments)"));
        } else if (!PLAIN_PATH.matcher(path).matches()) {
            errors.add(new FieldError(f, "external URL path '" + path + "' must be plain: each segment made of letters, digits "
                    + "and - . _ ~ ! $ & ' ( ) * + , = : @ (no ';'), not ending with '.'"));
        } else if (Arrays.stream(path.split("/")).anyMatch(s -> s.equalsIgnoreCase(RESERVED_SEGMENT))) {
            // <prefix>.drawbridge/ is the proxy's (sign-in callback, sign-out): an app there would take another app's callbacks.
            errors.add(new FieldError(f, "external URL path '" + path + "' must not have a '" + RESERVED_SEGMENT
                    + "' segment: it is reserved for Drawbridge's own endpoints on every app host"));
        }
    }

    /**
     * The internal URL, normalised (lower-case scheme, path ending with '/'); or nothing, with one field error.
     *
     * @param pathProblem why a path (ending with '/') cannot be used, if it cannot: the server reads it as its router does
     */
    public static Optional<URI> internal(String value, Function<String, Optional<String>> pathProblem, List<FieldError> errors) {
        String f = "internalUrl";
        Optional<URI> parsed = parse(f, value, "http://intranet.corp.local:8080/", errors);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        URI u = parsed.get();
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            errors.add(new FieldError(f, "internal URL '" + value + "' must use http:// or https://"));
            return Optional.empty();
        }
        if (u.getRawQuery() != null || u.getRawFragment() != null || u.getRawUserInfo() != null) {
            errors.add(new FieldError(f, "internal URL must not have a query, fragment or user info"));
            return Optional.empty();
        }
        if (u.getPort() == 0 || u.getPort() > 65535) {
            errors.add(new FieldError(f, "internal URL port " + u.getPort() + " is not a port number (1-65535)"));
            return Optional.empty();
        }
        Optional<String> bad = pathProblem.apply(withSlash(u.getRawPath()));
        if (bad.isPresent()) {
            errors.add(new FieldError(f, "internal URL path '" + u.getRawPath() + "' cannot be read safely: " + bad.get()));
            return Optional.empty();
        }
        return Optional.of(URI.create(scheme + "://" + u.getRawAuthority() + withSlash(u.getRawPath())));
    }

    /** {@code path} ending with '/' ("/" for none). */
    public static String withSlash(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        return path.endsWith("/") ? path : path + "/";
    }
}
