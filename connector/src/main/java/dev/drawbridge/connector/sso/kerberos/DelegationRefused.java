package dev.drawbridge.connector.sso.kerberos;

import java.util.Objects;

/**
 * Kerberos single sign-on could not be done for a request: a {@link RefusalReason} and its readable text. Carries no
 * cause on purpose: what the JDK said stays in the connector's log, callers get only the mapped reason.
 */
public final class DelegationRefused extends Exception {
    private final RefusalReason reason;

    DelegationRefused(RefusalReason reason, String user, String spn, String service) {
        super(reason.describe(user, spn, service), null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public RefusalReason reason() {
        return reason;
    }
}
