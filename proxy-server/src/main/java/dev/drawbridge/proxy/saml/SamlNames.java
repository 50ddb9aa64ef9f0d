package dev.drawbridge.proxy.saml;

/** The SAML 2.0 and XML Signature names Drawbridge reads and writes. */
final class SamlNames {
    static final String PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol";
    static final String ASSERTION = "urn:oasis:names:tc:SAML:2.0:assertion";
    static final String METADATA = "urn:oasis:names:tc:SAML:2.0:metadata";
    static final String DSIG = "http://www.w3.org/2000/09/xmldsig#";
    static final String HTTP_POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
    static final String HTTP_REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
    static final String SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success";
    static final String RESPONDER = "urn:oasis:names:tc:SAML:2.0:status:Responder";
    static final String NO_PASSIVE = "urn:oasis:names:tc:SAML:2.0:status:NoPassive";
    static final String BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
    static final String ENTITY = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity";
    /** A password (possibly through a federated provider), over TLS. */
    static final String PASSWORD_PROTECTED_TRANSPORT = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport";
    /** The REFEDS multi-factor profile: a second factor was used. */
    static final String MFA = "https://refeds.org/profile/mfa";

    private SamlNames() {
    }
}
