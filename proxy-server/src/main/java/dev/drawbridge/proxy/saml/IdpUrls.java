package dev.drawbridge.proxy.saml;

/**
 * Where an app's identity provider lives, on the sign-in host: its entity id {@code https://<sign-in host>/saml/<app id>}
 * and, under it, {@code /metadata}, {@code /sso} (AuthnRequests), {@code /continue} (back from signing in) and
 * {@code /start} (IdP-initiated, from My Apps).
 *
 * @param loginOrigin the sign-in host's origin, e.g. {@code https://login.example.com}
 */
record IdpUrls(String loginOrigin, String appId) {
    static final String PREFIX = "/saml/";

    String entityId() {
        return loginOrigin + path("");
    }

    String metadata() {
        return entityId() + "/metadata";
    }

    String sso() {
        return entityId() + "/sso";
    }

    /** A path on the sign-in host under this app's identity provider, e.g. {@code /saml/<id>/start}. */
    String path(String rest) {
        return PREFIX + appId + rest;
    }
}
