package dev.drawbridge.connector.upstream;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How the connector signs a request's user in to an app that asks with {@code 401 WWW-Authenticate: <scheme>}
 * (Kerberos' {@code Negotiate}): the {@code Authorization} value to send, computed on the exchange's own virtual thread
 * (it may ask a KDC), and the check of the app's final answer (mutual authentication). Sent up front when
 * {@link #upFront} or when the request has a body (a body cannot be sent twice); otherwise only after the app's
 * challenge, and the challenged request is sent again once.
 */
public interface ChallengeAuth {
    /** The scheme this answers, e.g. {@code Negotiate}. */
    String scheme();

    /** Whether to send the credential with the first request instead of after the app's challenge. */
    boolean upFront();

    /** The {@code Authorization} header's value for this request. */
    String authorization() throws RefusedException;

    /**
     * Checks the app's answer to the request that carried {@link #authorization} (its {@code WWW-Authenticate} values):
     * e.g. the mutual-authentication token of Kerberos.
     */
    void accept(int status, List<String> wwwAuthenticate) throws RefusedException;

    /** Why single sign-on could not be done: the request never reaches the app, or its answer is not relayed. */
    final class RefusedException extends Exception {
        public RefusedException(String reason) {
            super(reason);
        }
    }

    /** The challenge of {@code scheme} among {@code WWW-Authenticate} values, with its token when it has one. */
    static Optional<String> challenge(List<String> wwwAuthenticate, String scheme) {
        String prefix = scheme.toLowerCase(Locale.ROOT);
        for (String v : wwwAuthenticate) {
            for (String part : v.split(",")) {
                String p = part.strip();
                String lower = p.toLowerCase(Locale.ROOT);
                if (lower.equals(prefix) || lower.startsWith(prefix + " ")) {
                    return Optional.of(p.substring(scheme.length()).strip());
                }
            }
        }
        return Optional.empty();
    }
}
