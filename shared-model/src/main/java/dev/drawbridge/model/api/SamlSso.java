package dev.drawbridge.model.api;

/**
 * SAML-based single sign-on: Drawbridge acts as the SAML identity provider of an on-premises app that speaks SAML 2.0
 * (its service provider is reached through the tunnel like any app).
 *
 * @param spEntityId the service provider's entity id
 * @param acsUrl     the service provider's assertion consumer service URL, as the browser reaches it (behind the proxy)
 */
public record SamlSso(String spEntityId, String acsUrl) {
}
