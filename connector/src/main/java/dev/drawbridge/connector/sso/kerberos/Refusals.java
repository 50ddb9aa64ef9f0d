package dev.drawbridge.connector.sso.kerberos;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Maps what the JDK throws during a Kerberos exchange to a {@link RefusalReason}. The useful part is an internal
 * {@code sun.security.krb5.KrbException} deep in the cause chain, known only by its message ("... (13) -
 * UNSUPPORTED_S4U2PROXY_REQUEST"), so the chain's messages are matched, per step: MIT answers both "not in the
 * allow-list" and "cannot do S4U2Proxy" with the same BADOPTION (13), which only means something at S4U2Proxy. Pinned
 * by tests against a real MIT KDC, a positive case beside each negative one.
 */
final class Refusals {
    private Refusals() {
    }

    /** The step of the exchange that failed. */
    enum Step {
        /** The connector's keytab login (AS exchange). */
        LOGIN,
        /** S4U2Self: a ticket to the connector on the user's behalf. */
        S4U2SELF,
        /** S4U2Proxy: the ticket to the target SPN (inside the first initSecContext). */
        S4U2PROXY,
        /** Checking the backend's reply token. */
        MUTUAL
    }

    static RefusalReason map(Step step, Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = failure; t != null && messages.size() < 20; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof SocketTimeoutException || t instanceof NoRouteToHostException
                    || t instanceof PortUnreachableException || t instanceof UnknownHostException) {
                return RefusalReason.KDC_UNREACHABLE;
            }
            messages.add(String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT));
        }
        if (step == Step.MUTUAL) {
            return RefusalReason.MUTUAL_AUTH_FAILED;
        }
        if (any(messages, "receive timed out", "cannot locate kdc", "connection refused", "network is unreachable")) {
            return RefusalReason.KDC_UNREACHABLE;
        }
        if (any(messages, "clock skew too great", "(37)")) {
            return RefusalReason.CLOCK_SKEW;
        }
        return switch (step) {
            case LOGIN -> RefusalReason.SERVICE_LOGIN_FAILED;
            case S4U2SELF -> {
                if (any(messages, "must be forwardable")) {
                    yield RefusalReason.USER_NOT_DELEGABLE;
                }
                if (any(messages, "unknown_s4u2self_principal", "client not found", "(6)")) {
                    yield RefusalReason.UNKNOWN_USER;
                }
                yield RefusalReason.FAILED;
            }
            case S4U2PROXY -> {
                if (any(messages, "unsupported_s4u2proxy_request", "(13)", "kdc cannot accommodate")) {
                    yield RefusalReason.NOT_ALLOWED_TO_DELEGATE;
                }
                if (any(messages, "server not found", "(7)")) {
                    yield RefusalReason.UNKNOWN_SERVICE;
                }
                yield RefusalReason.FAILED;
            }
            case MUTUAL -> RefusalReason.MUTUAL_AUTH_FAILED;
        };
    }

    private static boolean any(List<String> messages, String... needles) {
        for (String m : messages) {
            for (String n : needles) {
                if (m.contains(n)) {
                    return true;
                }
            }
        }
        return false;
    }
}
