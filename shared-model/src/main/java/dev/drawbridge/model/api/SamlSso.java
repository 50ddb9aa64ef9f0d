package dev.drawbridge.model.api;

import java.util.List;

/**
 * SAML-based single sign-on: Drawbridge is the SAML 2.0 identity provider of an on-premises app that speaks SAML (its
 * service provider, e.g. Apache with mod_auth_mellon, is reached through the tunnel like any app). Drawbridge signs the
 * user in with its own sign-in (the app's assignment and conditional access apply) and answers the service provider's
 * AuthnRequest (HTTP-Redirect binding) with a signed Response POSTed by the browser to {@code acsUrl}. Holds no secret:
 * the identity provider's signing key is the server's, one per app. Checked by
 * {@link dev.drawbridge.model.api.validation.SsoRules}; usually filled from the service provider's metadata
 * ({@code POST /api/v1/apps/{id}/saml/sp-metadata}).
 *
 * @param spEntityId    the service provider's entity id: the only {@code Issuer} of AuthnRequests and the response's
 *                      {@code Audience}, e.g. {@code https://hr.example.com/mellon/metadata}
 * @param acsUrl        the service provider's assertion consumer service (HTTP-POST), as the browser reaches it through
 *                      Drawbridge: under the app's external URL, e.g. {@code https://hr.example.com/mellon/postResponse}.
 *                      The response is sent there and nowhere else (its {@code Destination} and {@code Recipient})
 * @param spCertificate the service provider's signing certificate (PEM, or the base64 of its DER as in metadata); when
 *                      given, every AuthnRequest must carry a valid signature by it (absent: requests are not signed, and
 *                      a signature on one is not checked)
 * @param nameIdFormat  the {@code NameID}'s format (absent: {@link NameIdFormat#UNSPECIFIED}); a format the request asks
 *                      for is not honoured, the app's is sent
 * @param nameIdSource  the user attribute that is the {@code NameID} (absent: {@link HeaderSource#EMAIL} for
 *                      {@link NameIdFormat#EMAIL_ADDRESS}, {@link HeaderSource#OBJECT_ID} for {@link NameIdFormat#PERSISTENT},
 *                      else {@link HeaderSource#UPN}); not given with {@link NameIdFormat#TRANSIENT} (a random id per sign-in)
 * @param nameIdClaim   the claim's name when {@code nameIdSource} is {@link HeaderSource#CLAIM}; absent otherwise
 * @param attributes    the attributes of the assertion (up to {@value dev.drawbridge.model.api.validation.SamlRules#MAX_ATTRIBUTES})
 * @param signing       what Drawbridge signs (absent: {@link Signing#ASSERTION})
 * @param relayState    where the service provider sends the user after an IdP-initiated sign-in (from My Apps), as its
 *                      {@code RelayState}, e.g. {@code https://hr.example.com/}; at most 80 bytes (absent: none, the
 *                      service provider's default page)
 */
public record SamlSso(String spEntityId, String acsUrl, String spCertificate, NameIdFormat nameIdFormat, HeaderSource nameIdSource,
                      String nameIdClaim, List<SamlAttribute> attributes, Signing signing, String relayState) {
    public SamlSso {
        nameIdFormat = nameIdFormat == null ? NameIdFormat.UNSPECIFIED : nameIdFormat;
        if (nameIdSource == null && nameIdFormat != NameIdFormat.TRANSIENT) {
            nameIdSource = switch (nameIdFormat) {
                case EMAIL_ADDRESS -> HeaderSource.EMAIL;
                case PERSISTENT -> HeaderSource.OBJECT_ID;
                default -> HeaderSource.UPN;
            };
        }
        // Nulls inside stay for the rules to name (attributes[i]); the list itself is never null.
        attributes = attributes == null ? List.of() : attributes.stream().toList();
        signing = signing == null ? Signing.ASSERTION : signing;
    }

    /** A service provider with everything else at its default: UPN as an unspecified NameID, the assertion signed. */
    public SamlSso(String spEntityId, String acsUrl) {
        this(spEntityId, acsUrl, null, null, null, null, null, null, null);
    }

    /** The format of the {@code NameID} (SAML core 8.3). */
    public enum NameIdFormat {
        /** {@code urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified}: the value as it is (a UPN, say). */
        UNSPECIFIED("urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"),
        /** {@code urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress}. */
        EMAIL_ADDRESS("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"),
        /** {@code urn:oasis:names:tc:SAML:2.0:nameid-format:persistent}: a stable id (the directory id by default). */
        PERSISTENT("urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"),
        /** {@code urn:oasis:names:tc:SAML:2.0:nameid-format:transient}: a random id, new at each sign-in. */
        TRANSIENT("urn:oasis:names:tc:SAML:2.0:nameid-format:transient");

        private final String uri;

        NameIdFormat(String uri) {
            this.uri = uri;
        }

        /** The format's URI, as in the {@code Format} attribute and in metadata. */
        public String uri() {
            return uri;
        }
    }

    /** What Drawbridge signs (RSA-SHA256, exclusive canonicalization, enveloped). */
    public enum Signing {
        /** The assertion (what most service providers, mellon among them, require). */
        ASSERTION,
        /** The response only. */
        RESPONSE,
        /** The assertion, then the response around it. */
        BOTH;

        public boolean signsAssertion() {
            return this != RESPONSE;
        }

        public boolean signsResponse() {
            return this != ASSERTION;
        }
    }
}
