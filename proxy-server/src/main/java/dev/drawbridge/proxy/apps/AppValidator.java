package dev.drawbridge.proxy.apps;

import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AppThrottle;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.api.validation.AppUrls;
import dev.drawbridge.model.api.validation.IdentityProviderRules;
import dev.drawbridge.model.api.validation.Names;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.pki.OwnHosts;
import dev.drawbridge.proxy.web.ValidationException;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Checks an {@link AppSpec} and turns it into a {@link PublishedApp}: the rules a client can check too
 * ({@link AppUrls}, {@link Names}), then the server's own. The external URL must be
 * https on the server's domain (one label under it, which its wildcard certificate covers) and on
 * its public port; the internal URL must be an absolute http(s) URL whose path reads safely ({@link RequestPath}: no dot
 * segments, control characters or bad encoding). An app's own throttle must have a rate and a burst from 1 to
 * {@link AppThrottle#MAX}, its own backend timeout from 1 s to the server's {@code max-backend-timeout}. All problems are
 * reported together.
 */
public final class AppValidator {
    private final String domain;
    private final int publicPort;

    private final Predicate<String> customHost;
    private final Optional<OwnHosts> own;
    private final Duration maxBackendTimeout;

    /** Without own hosts or custom domains (tests of the URL rules alone). */
    public AppValidator(String domain, int publicPort) {
        this.customHost = host -> false;
        this.domain = domain.toLowerCase(Locale.ROOT);
        this.publicPort = publicPort;
        this.own = Optional.empty();
        this.maxBackendTimeout = ServerConfig.BackendTimeouts.DEFAULT_MAX;
    }

    /**
     * As the server checks apps: never on the server's own admin or sign-in host, although both are one label under
     * the domain (their routing and TLS belong to global administrators).
     *
     * @param own        the server's admin and sign-in hosts, which no app may be published on
     * @param customHost whether a host outside the domain (possibly a wildcard host) is on an added custom domain
     */
    public AppValidator(String domain, int publicPort, OwnHosts own, Predicate<String> customHost) {
        this.customHost = customHost;
        this.domain = domain.toLowerCase(Locale.ROOT);
        this.publicPort = publicPort;
        this.own = Optional.of(own);
        this.maxBackendTimeout = ServerConfig.BackendTimeouts.DEFAULT_MAX;
    }

    private AppValidator(AppValidator base, Duration maxBackendTimeout) {
        this.customHost = base.customHost;
        this.domain = base.domain;
        this.publicPort = base.publicPort;
        this.own = base.own;
        this.maxBackendTimeout = maxBackendTimeout;
    }

    /** This validator, allowing an app a backend timeout of up to {@code max} (the server's {@code max-backend-timeout}). */
    public AppValidator withMaxBackendTimeout(Duration max) {
        return new AppValidator(this, max);
    }

    public PublishedApp validate(String id, AppSpec spec, String groupId, Instant createdAt, Instant now)
            throws ValidationException {
        List<Problem.FieldError> errors = new ArrayList<>();
        String name = spec.name() == null ? "" : spec.name().strip();
        switch (Names.check(name, Names.MAX)) {
            case MISSING -> errors.add(new Problem.FieldError("name", "name is required"));
            case TOO_LONG -> errors.add(new Problem.FieldError("name", "name must be at most " + Names.MAX + " characters"));
            case OK -> { }
        }
        Optional<WildcardUrls.Read> ext = WildcardUrls.read("externalUrl", spec.externalUrl(), errors);
        Optional<WildcardUrls.Read> in = WildcardUrls.read("internalUrl", spec.internalUrl(), errors);
        Optional<URI> external = ext.flatMap(e -> external(e.value(), e.wildcard(), errors)).map(u -> ext.get().restore(u));
        Optional<URI> internal = in.flatMap(i -> internal(i.value(), errors)).map(u -> in.get().restore(u));
        if (ext.isPresent() && in.isPresent() && ext.get().wildcard() != in.get().wildcard()) {
            errors.add(new Problem.FieldError("internalUrl", ext.get().wildcard()
                    ? "a wildcard app's internal URL must be a wildcard too, like http://*.corp.local/ (the label matched outside replaces the *)"
                    : "only a wildcard app (an external URL like https://*.apps." + domain + "/) may have a wildcard internal URL"));
        }
        boolean translateBody = Boolean.TRUE.equals(spec.translateLinksInBody());
        boolean translateScripts = Boolean.TRUE.equals(spec.translateLinksInScripts());
        if (translateScripts && !translateBody) {
            errors.add(new Problem.FieldError("translateLinksInScripts",
                    "translateLinksInScripts needs translateLinksInBody: links in scripts and JSON are translated only for an app whose pages are"));
        }
        if (spec.access() != null && spec.access().identityProviders() != null) {
            identityProviders(spec.access().identityProviders(), errors);
        }
        limits(spec, errors);
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        URI ex = external.orElseThrow();
        String host = ext.get().wildcard() ? "*" + ex.getRawAuthority().substring(1).split(":")[0] : ex.getHost();
        return new PublishedApp(id, name, ex, host.toLowerCase(Locale.ROOT), ex.getRawPath(), internal.orElseThrow(), groupId,
                spec.backendTimeout() == null ? BackendTimeout.DEFAULT : spec.backendTimeout(),
                spec.translateHostHeader() == null || spec.translateHostHeader(),
                spec.preAuthentication() == null ? PreAuthentication.PASSTHROUGH : spec.preAuthentication(),
                spec.access() == null ? AccessSettings.DEFAULTS : spec.access(), createdAt, now,
                spec.caseInsensitivePaths() != null && spec.caseInsensitivePaths(), SsoSettings.NONE,
                translateBody, translateScripts, "", AppLimits.of(spec.throttle(), spec.backendTimeoutSeconds()));
    }

    private void limits(AppSpec spec, List<Problem.FieldError> errors) {
        AppThrottle t = spec.throttle();
        if (t != null) {
            if (t.requestsPerSecond() < 1 || t.requestsPerSecond() > AppThrottle.MAX) {
                errors.add(new Problem.FieldError("throttle.requestsPerSecond", "the app's rate must be from 1 to " + AppThrottle.MAX
                        + " requests a second"));
            }
            if (t.burst() < 1 || t.burst() > AppThrottle.MAX) {
                errors.add(new Problem.FieldError("throttle.burst", "the app's burst must be from 1 to " + AppThrottle.MAX + " requests"));
            }
        }
        Integer seconds = spec.backendTimeoutSeconds();
        if (seconds != null && (seconds < 1 || seconds > maxBackendTimeout.toSeconds())) {
            errors.add(new Problem.FieldError("backendTimeoutSeconds", "the backend timeout must be from 1 to "
                    + maxBackendTimeout.toSeconds() + " seconds (the server's max-backend-timeout)"));
        }
    }

    /** The ids of the providers an app offers: slugs, each once, at most 50 (which exist is not checked: a deleted one offers nothing). */
    private static void identityProviders(List<String> ids, List<Problem.FieldError> errors) {
        String f = "access.identityProviders";
        if (ids.size() > 50 || ids.stream().distinct().count() != ids.size()) {
            errors.add(new Problem.FieldError(f, f + " lists at most 50 provider ids, each once"));
        }
        ids.stream().filter(id -> !IdentityProviderRules.isId(id)).findFirst().ifPresent(id -> errors.add(new Problem.FieldError(f,
                "'" + id + "' is not an identity provider id (lower-case letters, digits and hyphens, e.g. oidc)")));
    }

    /** {@code wildcard}: the value's first label stands for {@code *} (the rules then apply to the whole wildcard host). */
    private Optional<URI> external(String value, boolean wildcard, List<Problem.FieldError> errors) {
        String f = "externalUrl";
        Optional<URI> parsed = AppUrls.parse(f, value, "https://myapp." + domain + portSuffix() + "/", errors);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        URI u = parsed.get();
        int before = errors.size();
        AppUrls.checkExternalScheme(u, value, errors);
        String host = u.getHost().toLowerCase(Locale.ROOT);
        String pattern = wildcard ? "*" + host.substring(host.indexOf('.')) : host;
        if (wildcard && own.isPresent() && own.get().reachedBy(pattern).isPresent()) {
            errors.add(new Problem.FieldError(f, "external URL host '" + pattern + "' covers the server's own host "
                    + own.get().reachedBy(pattern).get() + "; publish a wildcard app on a domain of its own, like *.apps." + domain));
            return Optional.empty();
        }
        if (own.isPresent() && own.get().contains(host)) {
            errors.add(new Problem.FieldError(f, "external URL host '" + host + "' is the server's own admin or sign-in host;"
                    + " publish the app on another host, like myapp." + domain));
            return Optional.empty();
        }
        String sub = host.endsWith("." + domain) ? host.substring(0, host.length() - domain.length() - 1) : "";
        if ((sub.isEmpty() || sub.contains(".")) && !customHost.test(pattern)) {
            errors.add(new Problem.FieldError(f, "external URL host '" + pattern + "' must be one label under the server's domain, like myapp."
                    + domain + " (its certificate covers *." + domain + "), or on a custom domain added first (POST /api/v1/domains)"));
        }
        if (u.getPort() != -1 && u.getPort() != publicPort) {
            errors.add(new Problem.FieldError(f, "external URL port " + u.getPort() + " is not the server's public port " + publicPort));
        }
        AppUrls.checkExternalParts(u, errors);
        if (errors.size() > before) {
            return Optional.empty();
        }
        String authority = host + (u.getPort() == -1 || u.getPort() == 443 ? "" : ":" + u.getPort());
        return Optional.of(URI.create("https://" + authority + AppUrls.withSlash(u.getRawPath())));
    }

    /** Read as backends read it, the path tells which other apps' internal paths it contains (RouteTable). */
    private static Optional<URI> internal(String value, List<Problem.FieldError> errors) {
        return AppUrls.internal(value, path -> {
            try {
                RequestPath.parse(path);
                return Optional.empty();
            } catch (RequestPath.BadPathException e) {
                return Optional.of(e.getMessage());
            }
        }, errors);
    }

    private String portSuffix() {
        return publicPort == 443 ? "" : ":" + publicPort;
    }
}
