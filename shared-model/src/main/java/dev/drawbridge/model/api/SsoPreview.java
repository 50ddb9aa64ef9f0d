package dev.drawbridge.model.api;

import java.util.List;

/**
 * {@code POST /api/v1/apps/{id}/sso/preview}: what the app's backend would receive from single sign-on for one user,
 * computed by the server from the same code the live path uses, without sending anything to the backend or the KDC.
 * Holds no secret: a stored password is reported as present or absent, never shown.
 *
 * @param method    the method previewed
 * @param userId    the user's id
 * @param upn       the user's UPN
 * @param headers   {@link SsoMethod#HEADERS}: each header the backend would receive, in rule order (a rule whose source the user
 *                  has no value for gives none); empty for the other methods
 * @param kerberos  {@link SsoMethod#KERBEROS}: the delegated identity and service; absent for the other methods
 * @param password  {@link SsoMethod#BASIC}, {@link SsoMethod#FORMS}: whose credential and whether one is stored; absent otherwise
 * @param saml      {@link SsoMethod#SAML}: the assertion's subject and attributes; absent for the other methods
 * @param problems  why single sign-on would be refused or incomplete for this user (e.g. not assigned to the app, no
 *                  on-premises account name, no stored password, the connector group has no Kerberos settings); empty when
 *                  it would work as shown
 */
public record SsoPreview(SsoMethod method, String userId, String upn, List<Header> headers, Kerberos kerberos, Password password,
                         Saml saml, List<String> problems) {
    public SsoPreview {
        headers = headers == null ? List.of() : List.copyOf(headers);
        problems = problems == null ? List.of() : List.copyOf(problems);
    }

    /** One header the backend would receive. */
    public record Header(String name, String value) {
    }

    /**
     * Kerberos constrained delegation for the user.
     *
     * @param principal the client principal the connector would ask a ticket for (S4U2Self), e.g. {@code alice@CORP.EXAMPLE};
     *                  absent when the user has no value for the app's delegated login identity
     * @param spn       the backend's service principal (S4U2Proxy)
     * @param upFront   whether the ticket is sent on the first request (else on the backend's {@code 401 Negotiate})
     */
    public record Kerberos(String principal, String spn, boolean upFront) {
    }

    /**
     * Password vaulting for the user.
     *
     * @param credentials whose credential the backend gets
     * @param stored      whether that credential is stored (the user's own, or the app's shared one)
     */
    public record Password(BasicSso.Credentials credentials, boolean stored) {
    }

    /**
     * The SAML assertion's subject and attributes for the user.
     *
     * @param nameIdFormat the NameID's format
     * @param nameId       the NameID's value; absent for {@link SamlSso.NameIdFormat#TRANSIENT} (random per sign-in) and when the
     *                     user has no value for its source
     * @param attributes   each attribute the assertion would carry, with its values
     */
    public record Saml(SamlSso.NameIdFormat nameIdFormat, String nameId, List<Attribute> attributes) {
        public Saml {
            attributes = attributes == null ? List.of() : List.copyOf(attributes);
        }
    }

    /** One SAML attribute with its values. */
    public record Attribute(String name, List<String> values) {
        public Attribute {
            values = values == null ? List.of() : List.copyOf(values);
        }
    }
}
