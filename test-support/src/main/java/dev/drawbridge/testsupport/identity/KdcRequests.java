package dev.drawbridge.testsupport.identity;

/**
 * How many requests a {@link KerberosRealm}'s KDC has answered (successfully or not), counted from its log: AS
 * requests (sign-ins: a keytab login takes two, the first answered "pre-authentication required") and TGS requests
 * (service tickets: S4U2Self and S4U2Proxy are one each).
 */
public record KdcRequests(int as, int tgs) {
    /** All requests. */
    public int total() {
        return as + tgs;
    }

    /** The requests since {@code earlier}. */
    public KdcRequests since(KdcRequests earlier) {
        return new KdcRequests(as - earlier.as, tgs - earlier.tgs);
    }

    @Override
    public String toString() {
        return as + " AS + " + tgs + " TGS";
    }
}
