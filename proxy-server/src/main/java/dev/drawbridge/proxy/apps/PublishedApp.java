package dev.drawbridge.proxy.apps;

import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A published app, validated: the external URL users open and the internal URL the connector
 * reaches. {@code externalPath} and the internal path always end with "/". With
 * {@code caseInsensitivePaths} the app's backend treats paths in any letter case alike (IIS), and
 * so does routing for this app's prefix. {@code sso} is how the connector signs the user in to the backend
 * ({@link SsoSettings#NONE} for none; only pre-authenticated apps have another). With {@code translateLinksInBody} the
 * published apps' internal URLs in this app's HTML and CSS responses are translated to their external URLs
 * ({@code dev.drawbridge.proxy.translation}); with {@code translateLinksInScripts} as well in the string literals of its
 * JavaScript (inline and external) and JSON responses (only together with {@code translateLinksInBody}). A wildcard app ({@link #isWildcard}: {@code https://*.apps.example.com/} to
 * {@code http://*.corp.local/}) is routed as its instance for the matched host ({@link #forLabel}), whose
 * {@code wildcardLabel} is that host's first label ("" for every other app).
 * {@code limits} are the app's own request rate and backend timeout, where it has them.
 */
public record PublishedApp(String id, String name, URI externalUrl, String externalHost, String externalPath,
                           URI internalUrl, String connectorGroupId, BackendTimeout backendTimeout,
                           boolean translateHostHeader, PreAuthentication preAuthentication, AccessSettings access,
                           Instant createdAt, Instant updatedAt, boolean caseInsensitivePaths, SsoSettings sso,
                           boolean translateLinksInBody, boolean translateLinksInScripts, String wildcardLabel, AppLimits limits) {
    public PublishedApp {
        Objects.requireNonNull(limits);
        Objects.requireNonNull(sso);
        Objects.requireNonNull(wildcardLabel);
        if (!wildcardLabel.isEmpty() && (!WildcardHost.isLabel(wildcardLabel) || WildcardHost.isWildcard(externalHost))) {
            throw new IllegalArgumentException("wildcardLabel must be a DNS label of an app instance: " + wildcardLabel);
        }
        Objects.requireNonNull(id);
        Objects.requireNonNull(name);
        Objects.requireNonNull(externalUrl);
        Objects.requireNonNull(externalHost);
        Objects.requireNonNull(externalPath);
        Objects.requireNonNull(internalUrl);
        Objects.requireNonNull(connectorGroupId);
        Objects.requireNonNull(backendTimeout);
        Objects.requireNonNull(preAuthentication);
        Objects.requireNonNull(access);
        if (!externalPath.startsWith("/") || !externalPath.endsWith("/")) {
            throw new IllegalArgumentException("externalPath must start and end with '/': " + externalPath);
        }
    }

    /** A published app as stored with the server's limits (a wildcard app's template, or an app of one host). */
    public PublishedApp(String id, String name, URI externalUrl, String externalHost, String externalPath, URI internalUrl,
                        String connectorGroupId, BackendTimeout backendTimeout, boolean translateHostHeader,
                        PreAuthentication preAuthentication, AccessSettings access, Instant createdAt, Instant updatedAt,
                        boolean caseInsensitivePaths, SsoSettings sso, boolean translateLinksInBody, boolean translateLinksInScripts,
                        String wildcardLabel) {
        this(id, name, externalUrl, externalHost, externalPath, internalUrl, connectorGroupId, backendTimeout,
                translateHostHeader, preAuthentication, access, createdAt, updatedAt, caseInsensitivePaths, sso, translateLinksInBody,
                translateLinksInScripts, wildcardLabel, AppLimits.NONE);
    }

    /** A published app of one host as stored, with the server's limits. */
    public PublishedApp(String id, String name, URI externalUrl, String externalHost, String externalPath, URI internalUrl,
                        String connectorGroupId, BackendTimeout backendTimeout, boolean translateHostHeader,
                        PreAuthentication preAuthentication, AccessSettings access, Instant createdAt, Instant updatedAt,
                        boolean caseInsensitivePaths, SsoSettings sso, boolean translateLinksInBody, boolean translateLinksInScripts) {
        this(id, name, externalUrl, externalHost, externalPath, internalUrl, connectorGroupId, backendTimeout,
                translateHostHeader, preAuthentication, access, createdAt, updatedAt, caseInsensitivePaths, sso, translateLinksInBody,
                translateLinksInScripts, "");
    }

    /** A published app of one host whose scripts and JSON are not translated, with its own limits. */
    public PublishedApp(String id, String name, URI externalUrl, String externalHost, String externalPath, URI internalUrl,
                        String connectorGroupId, BackendTimeout backendTimeout, boolean translateHostHeader,
                        PreAuthentication preAuthentication, AccessSettings access, Instant createdAt, Instant updatedAt,
                        boolean caseInsensitivePaths, SsoSettings sso, boolean translateLinksInBody, AppLimits limits) {
        this(id, name, externalUrl, externalHost, externalPath, internalUrl, connectorGroupId, backendTimeout,
                translateHostHeader, preAuthentication, access, createdAt, updatedAt, caseInsensitivePaths, sso, translateLinksInBody,
                false, "", limits);
    }

    /** A published app of one host whose scripts and JSON are not translated, with the server's limits. */
    public PublishedApp(String id, String name, URI externalUrl, String externalHost, String externalPath, URI internalUrl,
                        String connectorGroupId, BackendTimeout backendTimeout, boolean translateHostHeader,
                        PreAuthentication preAuthentication, AccessSettings access, Instant createdAt, Instant updatedAt,
                        boolean caseInsensitivePaths, SsoSettings sso, boolean translateLinksInBody) {
        this(id, name, externalUrl, externalHost, externalPath, internalUrl, connectorGroupId, backendTimeout,
                translateHostHeader, preAuthentication, access, createdAt, updatedAt, caseInsensitivePaths, sso, translateLinksInBody, false, "");
    }

    /** An app whose response bodies are not translated. */
    public PublishedApp(String id, String name, URI externalUrl, String externalHost, String externalPath, URI internalUrl,
                        String connectorGroupId, BackendTimeout backendTimeout, boolean translateHostHeader,
                        PreAuthentication preAuthentication, AccessSettings access, Instant createdAt, Instant updatedAt,
                        boolean caseInsensitivePaths, SsoSettings sso) {
        this(id, name, externalUrl, externalHost, externalPath, internalUrl, connectorGroupId, backendTimeout,
                translateHostHeader, preAuthentication, access, createdAt, updatedAt, caseInsensitivePaths, sso, false);
    }

    /** An app without single sign-on. */
    public PublishedApp(String id, String name, URI externalUrl, String externalHost, String externalPath, URI internalUrl,
                        String connectorGroupId, BackendTimeout backendTimeout, boolean translateHostHeader,
                        PreAuthentication preAuthentication, AccessSettings access, Instant createdAt, Instant updatedAt,
                        boolean caseInsensitivePaths) {
        this(id, name, externalUrl, externalHost, externalPath, internalUrl, connectorGroupId, backendTimeout,
                translateHostHeader, preAuthentication, access, createdAt, updatedAt, caseInsensitivePaths, SsoSettings.NONE);
    }

    /** This app with {@code settings} as its single sign-on. */
    public PublishedApp withSso(SsoSettings settings) {
        return new PublishedApp(id, name, externalUrl, externalHost, externalPath, internalUrl, connectorGroupId,
                backendTimeout, translateHostHeader, preAuthentication, access, createdAt, updatedAt, caseInsensitivePaths, settings,
                translateLinksInBody, translateLinksInScripts, wildcardLabel, limits);
    }

    /** This app with link translation in its response bodies on or off (and in its scripts as before). */
    public PublishedApp withTranslateLinksInBody(boolean on) {
        return new PublishedApp(id, name, externalUrl, externalHost, externalPath, internalUrl, connectorGroupId,
                backendTimeout, translateHostHeader, preAuthentication, access, createdAt, updatedAt, caseInsensitivePaths, sso, on,
                translateLinksInScripts, wildcardLabel, limits);
    }

    /** This app with link translation in its scripts' and JSON's string literals on or off. */
    public PublishedApp withTranslateLinksInScripts(boolean on) {
        return new PublishedApp(id, name, externalUrl, externalHost, externalPath, internalUrl, connectorGroupId,
                backendTimeout, translateHostHeader, preAuthentication, access, createdAt, updatedAt, caseInsensitivePaths, sso,
                translateLinksInBody, on, wildcardLabel, limits);
    }

    /**
     * Whether this is a wildcard app as published ({@code https://*.apps.example.com/}): a template that routing turns into
     * one instance per matched host ({@link #forLabel}); it is never forwarded to itself.
     */
    public boolean isWildcard() {
        return WildcardHost.isWildcard(externalHost);
    }

    /**
     * This wildcard app for one matched host: the {@code *} of the external and internal URLs replaced by {@code label}
     * (a plain DNS label, {@link WildcardHost#isLabel}). Everything else, the id first (assignments, policies, SSO), is
     * the app's; cookies, redirects and the upstream host follow the matched host.
     */
    public PublishedApp forLabel(String label) {
        if (!isWildcard()) {
            throw new IllegalStateException("not a wildcard app");
        }
        URI external = WildcardHost.substitute(externalUrl, label);
        return new PublishedApp(id, name, external, external.getHost(), externalPath, WildcardHost.substitute(internalUrl, label),
                connectorGroupId, backendTimeout, translateHostHeader, preAuthentication, access, createdAt, updatedAt, caseInsensitivePaths,
                sso, translateLinksInBody, translateLinksInScripts, label, limits);
    }

    /**
     * How the sign-in host names this app: its id, and for an instance of a wildcard app the matched label too
     * ({@code id@label}), so that the user returns to the host they came from.
     */
    public String signInRef() {
        return wildcardLabel.isEmpty() ? id : id + "@" + wildcardLabel;
    }

    /** Whether the connector signs the user in to this app's backend. */
    public boolean hasSso() {
        return sso.method() != SsoMethod.NONE;
    }

    /** An app whose paths are case-sensitive. */
    public PublishedApp(String id, String name, URI externalUrl, String externalHost, String externalPath, URI internalUrl,
                        String connectorGroupId, BackendTimeout backendTimeout, boolean translateHostHeader,
                        PreAuthentication preAuthentication, AccessSettings access, Instant createdAt, Instant updatedAt) {
        this(id, name, externalUrl, externalHost, externalPath, internalUrl, connectorGroupId, backendTimeout,
                translateHostHeader, preAuthentication, access, createdAt, updatedAt, false);
    }

    /** An app with default access settings and case-sensitive paths. */
    public PublishedApp(String id, String name, URI externalUrl, String externalHost, String externalPath, URI internalUrl,
                        String connectorGroupId, BackendTimeout backendTimeout, boolean translateHostHeader,
                        PreAuthentication preAuthentication, Instant createdAt, Instant updatedAt) {
        this(id, name, externalUrl, externalHost, externalPath, internalUrl, connectorGroupId, backendTimeout,
                translateHostHeader, preAuthentication, AccessSettings.DEFAULTS, createdAt, updatedAt);
    }

    /** The origin (scheme, host, port) of the external URL, e.g. https://hr.example.com:8443. */
    public String externalOrigin() {
        return externalUrl.getScheme() + "://" + externalUrl.getRawAuthority();
    }

    /**
     * The raw request path relative to the external prefix (empty for the prefix itself, with or without its
     * trailing slash; the prefix in any letter case for an app with case-insensitive paths); empty when the path is
     * not under the prefix.
     */
    public Optional<String> remainder(String rawPath) {
        if (rawPath.regionMatches(caseInsensitivePaths, 0, externalPath, 0, externalPath.length())) {
            return Optional.of(rawPath.substring(externalPath.length()));
        }
        String bare = externalPath.substring(0, externalPath.length() - 1);
        if (rawPath.length() == bare.length() && rawPath.regionMatches(caseInsensitivePaths, 0, bare, 0, bare.length())) {
            return Optional.of("");
        }
        return Optional.empty();
    }

    /** The internal URL's path, ending with "/". */
    public String internalPath() {
        String p = internalUrl.getRawPath();
        return p == null || p.isEmpty() ? "/" : p;
    }
}
