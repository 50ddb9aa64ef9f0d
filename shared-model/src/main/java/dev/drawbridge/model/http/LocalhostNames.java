package dev.drawbridge.model.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * RFC 6761 §6.3: names under {@code .localhost} are the loopback host. Browsers and curl resolve
 * them so; the JDK's resolver asks the system, which often does not. Both programs resolve such
 * names through here so the default domain {@code *.localhost} works without DNS changes.
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
}
