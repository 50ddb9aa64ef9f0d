package dev.drawbridge.proxy.apps;

import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.proxy.pki.OwnHosts;
import dev.drawbridge.proxy.routing.PublishedApp;
import dev.drawbridge.proxy.routing.RequestPath;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks an {@link AppSpec} and turns it into a {@link PublishedApp}. The external URL must be
 * https on the server's domain (one label under it, which its wildcard certificate covers) and on
 * its public port; the internal URL must be an absolute http(s) URL whose path reads safely ({@link RequestPath}: no dot
 * segments, control characters or bad encoding). All problems are reported together.
 */
public final class AppValidator {
    /**
     * An external path that routing reads the same raw and normalised ({@code RequestPath}): segments of RFC 3986
     * unreserved characters and sub-delimiters except ';' (a path parameter), none ending with '.' (Windows drops it).
     */
    /** The segment under which the proxy answers on app hosts ({@code <prefix>.drawbridge/callback}, {@code /signout}), in any case. */
    private static final String RESERVED_SEGMENT = ".drawbridge";
    private static final java.util.regex.Pattern PLAIN_PATH =
            java.util.regex.Pattern.compile("/(?:[A-Za-z0-9._~!$&'()*+,=:@-]*[A-Za-z0-9_~!$&'()*+,=:@-]/)*");
    private final String domain;
    private final int publicPort;

    private final java.util.function.Predicate<String> customHost;
    private final Optional<OwnHosts> own;

    /** Without own hosts or custom domains (tests of the URL rules alone). */
    public AppValidator(String domain, int publicPort) {
        this.customHost = host -> false;
        this.domain = domain.toLowerCase(Locale.ROOT);
        this.publicPort = publicPort;
        this.own = Optional.empty();
    }

    /**
     * As the server checks apps: never on the server's own admin or sign-in host, although both are one label under
     * the domain (their routing and TLS belong to global administrators).
     *
     * @param own        the server's admin and sign-in hosts, which no app may be published on
     * @param customHost whether an uploaded certificate covers a host outside the domain (a custom domain)
     */
    public AppValidator(String domain, int publicPort, OwnHosts own, java.util.function.Predicate<String> customHost) {
        this.customHost = customHost;
        this.domain = domain.toLowerCase(Locale.ROOT);
        this.publicPort = publicPort;
        this.own = Optional.of(own);
    }

    public PublishedApp validate(String id, AppSpec spec, String groupId, Instant createdAt, Instant now)
            throws ValidationException {
        List<Problem.FieldError> errors = new ArrayList<>();
        String name = spec.name() == null ? "" : spec.name().strip();
        if (name.isEmpty()) {
            errors.add(new Problem.FieldError("name", "name is required"));
        } else if (name.length() > 200) {
            errors.add(new Problem.FieldError("name", "name must be at most 200 characters"));
        }
        Optional<URI> external = external(spec.externalUrl(), errors);
        Optional<URI> internal = internal(spec.internalUrl(), errors);
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        URI ex = external.orElseThrow();
        return new PublishedApp(id, name, ex, ex.getHost().toLowerCase(Locale.ROOT), ex.getRawPath(), internal.orElseThrow(), groupId,
                spec.backendTimeout() == null ? BackendTimeout.DEFAULT : spec.backendTimeout(),
                spec.translateHostHeader() == null || spec.translateHostHeader(),
                spec.preAuthentication() == null ? PreAuthentication.PASSTHROUGH : spec.preAuthentication(),
                spec.access() == null ? AccessSettings.DEFAULTS : spec.access(), createdAt, now,
                spec.caseInsensitivePaths() != null && spec.caseInsensitivePaths());
    }

    private Optional<URI> external(String value, List<Problem.FieldError> errors) {
        String f = "externalUrl";
        Optional<URI> parsed = parse(f, value, "https://myapp." + domain + portSuffix() + "/", errors);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        URI u = parsed.get();
        int before = errors.size();
        if (!"https".equalsIgnoreCase(u.getScheme())) {
            errors.add(new Problem.FieldError(f, "external URL '" + value + "' must use https://"));
        }
        String host = u.getHost().toLowerCase(Locale.ROOT);
        if (own.isPresent() && own.get().contains(host)) {
            errors.add(new Problem.FieldError(f, "external URL host '" + host + "' is the server's own admin or sign-in host;"
                    + " publish the app on another host, like myapp." + domain));
            return Optional.empty();
        }
        String sub = host.endsWith("." + domain) ? host.substring(0, host.length() - domain.length() - 1) : "";
        if ((sub.isEmpty() || sub.contains(".")) && !customHost.test(host)) {
            errors.add(new Problem.FieldError(f, "external URL host '" + host + "' must be one label under the server's domain, like myapp."
                    + domain + " (its certificate covers *." + domain + "), or a custom domain covered by an uploaded certificate"));
        }
        if (u.getPort() != -1 && u.getPort() != publicPort) {
            errors.add(new Problem.FieldError(f, "external URL port " + u.getPort() + " is not the server's public port " + publicPort));
        }
        if (u.getRawQuery() != null || u.getRawFragment() != null || u.getRawUserInfo() != null) {
            errors.add(new Problem.FieldError(f, "external URL must not have a query, fragment or user info"));
        }
        String path = withSlash(u.getRawPath());
        if (path.contains("%") || path.contains("//") || path.contains("/./") || path.contains("/../")) {
            errors.add(new Problem.FieldError(f, "external URL path '" + path + "' must be plain (no encoded characters, empty or dot segments)"));
        } else if (!PLAIN_PATH.matcher(path).matches()) {
            errors.add(new Problem.FieldError(f, "external URL path '" + path + "' must be plain: each segment made of letters, digits "
                    + "and - . _ ~ ! $ & ' ( ) * + , = : @ (no ';'), not ending with '.'"));
        } else if (java.util.Arrays.stream(path.split("/")).anyMatch(s -> s.equalsIgnoreCase(RESERVED_SEGMENT))) {
            // <prefix>.drawbridge/ is the proxy's (sign-in callback, sign-out): an app there would take another app's callbacks.
            errors.add(new Problem.FieldError(f, "external URL path '" + path + "' must not have a '" + RESERVED_SEGMENT
                    + "' segment: it is reserved for Drawbridge's own endpoints on every app host"));
        }
        if (errors.size() > before) {
            return Optional.empty();
        }
        String authority = host + (u.getPort() == -1 || u.getPort() == 443 ? "" : ":" + u.getPort());
        return Optional.of(URI.create("https://" + authority + path));
    }

    private Optional<URI> internal(String value, List<Problem.FieldError> errors) {
        String f = "internalUrl";
        Optional<URI> parsed = parse(f, value, "http://intranet.corp.local:8080/", errors);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        URI u = parsed.get();
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            errors.add(new Problem.FieldError(f, "internal URL '" + value + "' must use http:// or https://"));
            return Optional.empty();
        }
        if (u.getRawQuery() != null || u.getRawFragment() != null || u.getRawUserInfo() != null) {
            errors.add(new Problem.FieldError(f, "internal URL must not have a query, fragment or user info"));
            return Optional.empty();
        }
        if (u.getPort() == 0 || u.getPort() > 65535) {
            errors.add(new Problem.FieldError(f, "internal URL port " + u.getPort() + " is not a port number (1-65535)"));
            return Optional.empty();
        }
        try {
            // Read as backends read it, the path tells which other apps' internal paths it contains (RouteTable).
            RequestPath.parse(withSlash(u.getRawPath()));
        } catch (RequestPath.BadPathException e) {
            errors.add(new Problem.FieldError(f, "internal URL path '" + u.getRawPath() + "' cannot be read safely: " + e.getMessage()));
            return Optional.empty();
        }
        return Optional.of(URI.create(scheme + "://" + u.getRawAuthority() + withSlash(u.getRawPath())));
    }

    private static Optional<URI> parse(String field, String value, String example, List<Problem.FieldError> errors) {
        if (value == null || value.isBlank()) {
            errors.add(new Problem.FieldError(field, field + " is required, for example " + example));
            return Optional.empty();
        }
        try {
            URI u = new URI(value.strip());
            if (u.getScheme() == null || u.getHost() == null) {
                errors.add(new Problem.FieldError(field, "'" + value + "' is not an absolute URL with a host; for example " + example));
                return Optional.empty();
            }
            return Optional.of(u);
        } catch (URISyntaxException e) {
            errors.add(new Problem.FieldError(field, "'" + value + "' is not a valid URL (" + e.getReason() + "); for example " + example));
            return Optional.empty();
        }
    }

    private static String withSlash(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        return path.endsWith("/") ? path : path + "/";
    }

    private String portSuffix() {
        return publicPort == 443 ? "" : ":" + publicPort;
    }
}
