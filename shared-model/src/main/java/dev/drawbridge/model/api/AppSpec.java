package dev.drawbridge.model.api;

/**
 * What an admin sends to create or replace a published app. Absent optional fields take defaults
 * (connector group "Default", backend timeout DEFAULT, translate host header true, passthrough,
 * case-sensitive paths, links in bodies and scripts not translated).
 *
 * @param name               unique display name
 * @param externalUrl        https://host[:port]/[prefix/] users open
 * @param internalUrl        http(s)://host[:port]/[path] the connector reaches
 * @param connectorGroup     connector group name or id
 * @param backendTimeout     DEFAULT (85 s) or LONG (180 s)
 * @param translateHostHeader true: send the internal host in Host; false: keep the external host
 * @param preAuthentication  PASSTHROUGH or DIRECTORY
 * @param access             assignment and cookie settings (defaults: {@link AccessSettings#DEFAULTS})
 * @param caseInsensitivePaths true when the app's backend treats paths in any letter case alike (IIS, ASP.NET): its
 *                           external path then matches in any case too (default false)
 * @param translateLinksInBody true to translate the published apps' internal URLs in this app's HTML and CSS responses
 *                           to their external URLs (Entra's "Translate URLs in application body"; default false)
 * @param translateLinksInScripts true to translate them also in the string literals of this app's JavaScript (inline and
 *                           external) and JSON responses; only with {@code translateLinksInBody} (default false)
 * @param throttle           the app's own request rate limit (default: the server's per-app limit)
 * @param backendTimeoutSeconds how long to wait for the backend's response head, in seconds, instead of
 *                           {@code backendTimeout}'s 85 or 180 s: from 1 up to the server's {@code max-backend-timeout}
 *                           (default: {@code backendTimeout})
 */
public record AppSpec(String name, String externalUrl, String internalUrl, String connectorGroup,
                      BackendTimeout backendTimeout, Boolean translateHostHeader,
                      PreAuthentication preAuthentication, AccessSettings access, Boolean caseInsensitivePaths,
                      Boolean translateLinksInBody, Boolean translateLinksInScripts, AppThrottle throttle, Integer backendTimeoutSeconds) {
    /** A spec with the server's default throttling and the backend timeout {@code backendTimeout} says. */
    public AppSpec(String name, String externalUrl, String internalUrl, String connectorGroup, BackendTimeout backendTimeout,
                   Boolean translateHostHeader, PreAuthentication preAuthentication, AccessSettings access,
                   Boolean caseInsensitivePaths, Boolean translateLinksInBody, Boolean translateLinksInScripts) {
        this(name, externalUrl, internalUrl, connectorGroup, backendTimeout, translateHostHeader, preAuthentication, access,
                caseInsensitivePaths, translateLinksInBody, translateLinksInScripts, null, null);
    }

    /** A spec whose app's scripts and JSON are not translated. */
    public AppSpec(String name, String externalUrl, String internalUrl, String connectorGroup, BackendTimeout backendTimeout,
                   Boolean translateHostHeader, PreAuthentication preAuthentication, AccessSettings access,
                   Boolean caseInsensitivePaths, Boolean translateLinksInBody, AppThrottle throttle, Integer backendTimeoutSeconds) {
        this(name, externalUrl, internalUrl, connectorGroup, backendTimeout, translateHostHeader, preAuthentication, access,
                caseInsensitivePaths, translateLinksInBody, null, throttle, backendTimeoutSeconds);
    }

    /** A spec whose app's scripts and JSON are not translated, with the server's default throttling and backend timeout. */
    public AppSpec(String name, String externalUrl, String internalUrl, String connectorGroup, BackendTimeout backendTimeout,
                   Boolean translateHostHeader, PreAuthentication preAuthentication, AccessSettings access,
                   Boolean caseInsensitivePaths, Boolean translateLinksInBody) {
        this(name, externalUrl, internalUrl, connectorGroup, backendTimeout, translateHostHeader, preAuthentication, access,
                caseInsensitivePaths, translateLinksInBody, null, null, null);
    }

    /** A spec whose app's response bodies are not translated. */
    public AppSpec(String name, String externalUrl, String internalUrl, String connectorGroup, BackendTimeout backendTimeout,
                   Boolean translateHostHeader, PreAuthentication preAuthentication, AccessSettings access,
                   Boolean caseInsensitivePaths) {
        this(name, externalUrl, internalUrl, connectorGroup, backendTimeout, translateHostHeader, preAuthentication, access,
                caseInsensitivePaths, null);
    }

    /** A spec with case-sensitive paths. */
    public AppSpec(String name, String externalUrl, String internalUrl, String connectorGroup, BackendTimeout backendTimeout,
                   Boolean translateHostHeader, PreAuthentication preAuthentication, AccessSettings access) {
        this(name, externalUrl, internalUrl, connectorGroup, backendTimeout, translateHostHeader, preAuthentication, access, null);
    }

    /** A spec with default access settings. */
    public AppSpec(String name, String externalUrl, String internalUrl, String connectorGroup, BackendTimeout backendTimeout,
                   Boolean translateHostHeader, PreAuthentication preAuthentication) {
        this(name, externalUrl, internalUrl, connectorGroup, backendTimeout, translateHostHeader, preAuthentication, null, null);
    }
}
