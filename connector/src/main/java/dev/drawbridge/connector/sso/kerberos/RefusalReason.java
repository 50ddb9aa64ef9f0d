package dev.drawbridge.connector.sso.kerberos;

/**
 * Why the connector could not sign a user in to a Kerberos (IWA) app, each with a text for the refusal page, the
 * sign-in log and the operator, naming the setting to change. Words for both directories: MIT krb5 and Active Directory.
 */
public enum RefusalReason {
    /** The target SPN is not in the connector account's allow-list (S4U2Proxy refused: KDC_ERR_BADOPTION). */
    NOT_ALLOWED_TO_DELEGATE(false, "the connector's account %3$s may not delegate to %2$s: add %2$s to the account's "
            + "msDS-AllowedToDelegateTo (Active Directory: Delegation tab, \"Trust this user for delegation to specified "
            + "services only\") or krbAllowedToDelegateTo (MIT)"),
    /** The target SPN does not exist in the realm. */
    UNKNOWN_SERVICE(false, "the KDC does not know the service principal %2$s: check the app's SPN and that the backend's "
            + "account has it (setspn -L / kadmin getprinc)"),
    /** The KDC gave a non-forwardable ticket for the user: the user may not be delegated, or the connector may not transition protocols. */
    USER_NOT_DELEGABLE(false, "%1$s may not be delegated: the account is marked \"sensitive and cannot be delegated\" "
            + "(Active Directory; MIT: -allow_forwardable), or the connector's account %3$s is not trusted to act for users "
            + "without their Kerberos ticket (Active Directory: \"Use any authentication protocol\"; MIT: +ok_to_auth_as_delegate)"),
    /** No such user in the realm. */
    UNKNOWN_USER(false, "the KDC does not know the user %1$s: check which name the app sends to Kerberos (UPN, on-premises "
            + "UPN or sAMAccountName) and that the user exists in the realm"),
    /** The user name cannot be a user principal of the realm (a service name, another realm, odd characters). */
    INVALID_USER(false, "'%1$s' cannot stand for a user of the connector's realm"),
    /** The connector's own sign-in to the KDC failed: wrong keytab, unknown or disabled account. */
    SERVICE_LOGIN_FAILED(false, "the connector could not sign in to the KDC as %3$s: check that its keytab holds the "
            + "account's current keys (export it again after a password change) and that the account is enabled"),
    /** The clocks of the connector and the KDC differ by more than the KDC allows (5 minutes by default). */
    CLOCK_SKEW(true, "the connector's clock and the KDC's differ by more than the KDC allows: synchronize the connector's "
            + "clock (NTP)"),
    /** No KDC answered in time. */
    KDC_UNREACHABLE(true, "no KDC of the connector's realm answered in time: check that the connector reaches its KDCs "
            + "(TCP port 88) and that they are up"),
    /** The backend's reply did not prove it holds the SPN's key (mutual authentication failed or was missing). */
    MUTUAL_AUTH_FAILED(false, "the backend's answer did not prove that it is %2$s (Kerberos mutual authentication "
            + "failed): the answer was not used"),
    /** Anything else; the connector's log has the details. */
    FAILED(true, "Kerberos single sign-on for %1$s to %2$s failed; the connector's log says why");

    private final boolean retryable;
    private final String text;

    RefusalReason(boolean retryable, String text) {
        this.retryable = retryable;
        this.text = text;
    }

    /** Whether trying again later may help (without an operator changing something). */
    public boolean retryable() {
        return retryable;
    }

    /** The readable text: {@code user}, {@code spn} and the connector's {@code service} principal filled in. */
    public String describe(String user, String spn, String service) {
        return text.formatted(KerberosSettings.printable(user), KerberosSettings.printable(spn), service);
    }
}
