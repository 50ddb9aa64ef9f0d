package dev.drawbridge.model.api;

/**
 * Kerberos constrained delegation (Integrated Windows Authentication) to an app's backend: the connector obtains a
 * ticket for the user (S4U2Self) and for the backend's service (S4U2Proxy) and sends {@code Authorization: Negotiate}.
 * The realm, KDCs and the connector's own principal and keytab are settings of the connector group.
 *
 * @param spn           the backend's service principal name, e.g. {@code HTTP/intranet.corp.example}
 *                      ({@code @REALM} optional)
 * @param loginIdentity which name of the user the connector asks the KDC for (absent: {@link LoginIdentity#UPN})
 * @param upFront       send the ticket with the first request instead of waiting for the backend's
 *                      {@code 401 WWW-Authenticate: Negotiate} (saves a round trip; needed for requests with large bodies)
 */
public record KerberosSso(String spn, LoginIdentity loginIdentity, boolean upFront) {
    public KerberosSso {
        loginIdentity = loginIdentity == null ? LoginIdentity.UPN : loginIdentity;
    }

    /** Entra's "delegated login identity": which of the user's names becomes the Kerberos client principal. */
    public enum LoginIdentity {
        /** The user principal name, e.g. {@code alice@contoso.com}. */
        UPN,
        /** The on-premises UPN from directory sync. */
        ON_PREM_UPN,
        /** The part of the UPN before {@code @}, in the connector's realm. */
        USER_PART,
        /** The on-premises SAM account name from directory sync, in the connector's realm. */
        ON_PREM_SAM
    }
}
