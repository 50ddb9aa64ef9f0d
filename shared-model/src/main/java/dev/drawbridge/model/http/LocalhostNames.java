package dev.drawbridge.model.http;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * RFC 6761 §6.3: names under {@code .localhost} are the loopback host. Browsers and curl resolve
 * them so; the JDK's resolver asks the system, which often does not. Both programs resolve such
 * names through here so the default domain {@code *.localhost} works without DNS changes.
 *
 * <p>{@link #isLoopback} is the one rule of the admin client and the CLI for where plain {@code http://} may carry a
 * credential.
 */
public final class LocalhostNames {
    private LocalhostNames() {
    }

    /** The loopback address for {@code localhost} and {@code *.localhost}; empty for other names. */
    public static Optional<InetAddress> loopbackFor(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            try {
                return Optional.of(InetAddress.getByAddress(host, new byte[]{127, 0, 0, 1}));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether a URL's host ({@link java.net.URI#getHost()}: IPv6 in brackets) is this machine: an IP address literal
     * of a loopback address ({@code 127.0.0.0/8}, {@code [::1]}, an IPv4-mapped {@code [::ffff:127.0.0.1]}), or a
     * name {@link #loopbackFor} answers ({@code localhost}, {@code *.localhost}). A DNS name never counts, whatever it
     * looks like: {@code 127.0.0.1.nip.io} or {@code localhost.evil.com} resolve wherever their owner wants.
     */
    public static boolean isLoopback(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        if (loopbackFor(host).isPresent()) {
            return true;
        }
        boolean bracketed = host.length() > 1 && host.startsWith("[") && host.endsWith("]");
        try {
            // A literal only: no lookup. The JDK connects to exactly the address this parses to.
            InetAddress a = bracketed ? Inet6Address.ofLiteral(host.substring(1, host.length() - 1)) : InetAddress.ofLiteral(host);
            return a.isLoopbackAddress();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
