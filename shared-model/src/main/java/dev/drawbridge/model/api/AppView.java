package dev.drawbridge.model.api;

import java.time.Instant;

/**
 * A published app as the admin API shows it.
 *
 * @param caseInsensitivePaths the external path matches in any letter case (the backend treats paths so, like IIS)
 * @param ssoMethod            how the connector signs users in to the backend ({@link SsoMethod#NONE} when absent); the
 *                             settings are {@code /apps/{id}/sso}
 * @param translateLinksInBody the published apps' internal URLs in this app's HTML and CSS responses are translated to
 *                             their external URLs
 * @param translateLinksInScripts they are translated also in the string literals of its JavaScript and JSON responses
 * @param throttle             the app's own request rate limit; null: the server's per-app limit
 * @param backendTimeoutSeconds the app's backend timeout in seconds; null: what {@code backendTimeout} says (85 or 180 s)
 */
public record AppView(String id, String name, String externalUrl, String internalUrl,
                      String connectorGroupId, String connectorGroupName, BackendTimeout backendTimeout,
                      boolean translateHostHeader, PreAuthentication preAuthentication, AccessSettings access,
                      Instant createdAt, Instant updatedAt, boolean caseInsensitivePaths, SsoMethod ssoMethod,
                      boolean translateLinksInBody, boolean translateLinksInScripts, AppThrottle throttle, Integer backendTimeoutSeconds) {
    public AppView {
        ssoMethod = ssoMethod == null ? SsoMethod.NONE : ssoMethod;
    }

    /** An app with the server's default throttling and the backend timeout {@code backendTimeout} says. */
    public AppView(String id, String name, String externalUrl, String internalUrl, String connectorGroupId, String connectorGroupName,
                   BackendTimeout backendTimeout, boolean translateHostHeader, PreAuthentication preAuthentication,
                   AccessSettings access, Instant createdAt, Instant updatedAt, boolean caseInsensitivePaths, SsoMethod ssoMethod,
                   boolean translateLinksInBody, boolean translateLinksInScripts) {
        this(id, name, externalUrl, internalUrl, connectorGroupId, connectorGroupName, backendTimeout, translateHostHeader,
                preAuthentication, access, createdAt, updatedAt, caseInsensitivePaths, ssoMethod, translateLinksInBody, translateLinksInScripts,
                null, null);
    }

    /** An app whose scripts and JSON are not translated. */
    public AppView(String id, String name, String externalUrl, String internalUrl, String connectorGroupId, String connectorGroupName,
                   BackendTimeout backendTimeout, boolean translateHostHeader, PreAuthentication preAuthentication,
                   AccessSettings access, Instant createdAt, Instant updatedAt, boolean caseInsensitivePaths, SsoMethod ssoMethod,
                   boolean translateLinksInBody, AppThrottle throttle, Integer backendTimeoutSeconds) {
        this(id, name, externalUrl, internalUrl, connectorGroupId, connectorGroupName, backendTimeout, translateHostHeader,
                preAuthentication, access, createdAt, updatedAt, caseInsensitivePaths, ssoMethod, translateLinksInBody, false,
                throttle, backendTimeoutSeconds);
    }

    /** An app whose scripts and JSON are not translated, with the server's default limits. */
    public AppView(String id, String name, String externalUrl, String internalUrl, String connectorGroupId, String connectorGroupName,
                   BackendTimeout backendTimeout, boolean translateHostHeader, PreAuthentication preAuthentication,
                   AccessSettings access, Instant createdAt, Instant updatedAt, boolean caseInsensitivePaths, SsoMethod ssoMethod,
                   boolean translateLinksInBody) {
        this(id, name, externalUrl, internalUrl, connectorGroupId, connectorGroupName, backendTimeout, translateHostHeader,
                preAuthentication, access, createdAt, updatedAt, caseInsensitivePaths, ssoMethod, translateLinksInBody, false, null, null);
    }

    /** An app whose response bodies are not translated. */
    public AppView(String id, String name, String externalUrl, String internalUrl, String connectorGroupId, String connectorGroupName,
                   BackendTimeout backendTimeout, boolean translateHostHeader, PreAuthentication preAuthentication,
                   AccessSettings access, Instant createdAt, Instant updatedAt, boolean caseInsensitivePaths, SsoMethod ssoMethod) {
        this(id, name, externalUrl, internalUrl, connectorGroupId, connectorGroupName, backendTimeout, translateHostHeader,
                preAuthentication, access, createdAt, updatedAt, caseInsensitivePaths, ssoMethod, false);
    }

    /** An app without single sign-on. */
    public AppView(String id, String name, String externalUrl, String internalUrl, String connectorGroupId, String connectorGroupName,
                   BackendTimeout backendTimeout, boolean translateHostHeader, PreAuthentication preAuthentication,
                   AccessSettings access, Instant createdAt, Instant updatedAt, boolean caseInsensitivePaths) {
        this(id, name, externalUrl, internalUrl, connectorGroupId, connectorGroupName, backendTimeout, translateHostHeader,
                preAuthentication, access, createdAt, updatedAt, caseInsensitivePaths, SsoMethod.NONE);
    }

    /** An app with case-sensitive paths. */
    public AppView(String id, String name, String externalUrl, String internalUrl, String connectorGroupId, String connectorGroupName,
                   BackendTimeout backendTimeout, boolean translateHostHeader, PreAuthentication preAuthentication,
                   AccessSettings access, Instant createdAt, Instant updatedAt) {
        this(id, name, externalUrl, internalUrl, connectorGroupId, connectorGroupName, backendTimeout, translateHostHeader,
                preAuthentication, access, createdAt, updatedAt, false);
    }
}
