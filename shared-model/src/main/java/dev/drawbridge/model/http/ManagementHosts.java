package dev.drawbridge.model.http;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The {@code Host}s a management listener (metrics and health, no authentication) answers, decided from the address it
 * is bound to, never from how its bind option was spelled (a name such as this machine's host name may resolve to
 * loopback). The threat is DNS rebinding: a web page in a browser on a machine that reaches the listener points a name
 * of its own at the listener's address and reads the answers; such a request carries that name as its {@code Host}.
 * <ul>
 *   <li>Bound to a loopback address: only loopback names ({@code localhost}, {@code *.localhost}) and loopback IP literals
 *       ({@link LocalhostNames#isLoopback}).</li>
 *   <li>Bound to any other address or to the wildcard: those, and any IP address literal (a browser sends an IP literal
 *       only when it connected to that very address, so no name was rebound); never a DNS name. Scrapers and probes
 *       address the listener by IP address.</li>
 * </ul>
 */
public final class ManagementHosts {
    private ManagementHosts() {
    }

    /** Whether a listener bound to {@code bound} answers a request whose {@code Host} names {@code host} (port removed). */
    public static boolean allows(InetAddress bound, String host) {
        if (LocalhostNames.isLoopback(host)) {
            return true;
        }
        return !bound.isLoopbackAddress() && isIpLiteral(host);
    }

    /** Whether {@code host} is an IPv4 literal or a (bracketed or bare) IPv6 literal: no name, nothing to resolve. */
    static boolean isIpLiteral(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        boolean bracketed = host.length() > 1 && host.startsWith("[") && host.endsWith("]");
        try {
            if (bracketed) {
                Inet6Address.ofLiteral(host.substring(1, host.length() - 1));
            } else {
                InetAddress.ofLiteral(host);
            }
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The sentence of a refusal: which {@code Host}s a listener bound to {@code bound} answers. */
    public static String refusal(InetAddress bound) {
        return bound.isLoopbackAddress()
                ? "this listener is bound to loopback and answers only requests addressed to localhost or a loopback address"
                : "this listener answers only requests addressed to an IP address or localhost, not to a DNS name";
    }
}
