package dev.drawbridge.model.api;

/**
 * One attribute of a SAML assertion ({@link SamlSso#attributes()}): its name and the user attribute, groups or claim it
 * carries. A multi-valued source ({@link HeaderSource#GROUPS}) gives one {@code AttributeValue} per value; a source the
 * user has no value for gives no attribute. Control characters and characters XML cannot carry are removed from values.
 *
 * @param name       the attribute's {@code Name}, e.g. {@code email}, {@code groups} or
 *                   {@code http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress}
 * @param source     the user attribute
 * @param claim      the claim's name when {@code source} is {@link HeaderSource#CLAIM}; absent otherwise
 * @param nameFormat the attribute's {@code NameFormat} (absent: {@link NameFormat#UNSPECIFIED}, which is left out)
 */
public record SamlAttribute(String name, HeaderSource source, String claim, NameFormat nameFormat) {
    public SamlAttribute {
        nameFormat = nameFormat == null ? NameFormat.UNSPECIFIED : nameFormat;
    }

    /** An attribute named {@code name} carrying {@code source}. */
    public static SamlAttribute of(String name, HeaderSource source) {
        return new SamlAttribute(name, source, null, null);
    }

    /** How the attribute's name is to be read (SAML core 8.2). */
    public enum NameFormat {
        /** No {@code NameFormat} attribute (the SAML default, {@code ...:attrname-format:unspecified}). */
        UNSPECIFIED(""),
        /** {@code urn:oasis:names:tc:SAML:2.0:attrname-format:basic}: a plain name such as {@code email}. */
        BASIC("urn:oasis:names:tc:SAML:2.0:attrname-format:basic"),
        /** {@code urn:oasis:names:tc:SAML:2.0:attrname-format:uri}: a URI such as an OID URN. */
        URI("urn:oasis:names:tc:SAML:2.0:attrname-format:uri");

        private final String uri;

        NameFormat(String uri) {
            this.uri = uri;
        }

        /** The format's URI; empty for {@link #UNSPECIFIED}. */
        public String uri() {
            return uri;
        }
    }
}
