package dev.drawbridge.model.http;

import dev.drawbridge.model.tunnel.HeaderField;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Hop-by-hop header rules of RFC 9110 §7.6.1: these headers describe one connection and are never
 * forwarded, and neither is any header named in {@code Connection}. Used by both ends of the tunnel.
 */
public final class HopByHop {
    private static final Set<String> ALWAYS = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
            "http2-settings");

    private HopByHop() {
    }

    public static boolean isHopByHop(String name) {
        return ALWAYS.contains(name.toLowerCase(Locale.ROOT));
    }

    /** Removes hop-by-hop headers and those the Connection header lists. */
    public static List<HeaderField> strip(List<HeaderField> headers) {
        Set<String> named = new HashSet<>();
        for (HeaderField h : headers) {
            if (h.name().equalsIgnoreCase("connection")) {
                for (String token : h.value().split(",")) {
                    String t = token.trim().toLowerCase(Locale.ROOT);
                    if (!t.isEmpty()) {
                        named.add(t);
                    }
                }
            }
        }
        List<HeaderField> out = new ArrayList<>(headers.size());
        for (HeaderField h : headers) {
            String n = h.name().toLowerCase(Locale.ROOT);
            if (!ALWAYS.contains(n) && !named.contains(n)) {
                out.add(h);
            }
        }
        return out;
    }
}
