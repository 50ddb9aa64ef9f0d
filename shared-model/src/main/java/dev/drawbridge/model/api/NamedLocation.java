package dev.drawbridge.model.api;

import java.util.List;

/**
 * A named set of IP ranges ("Head office", "Known VPN egress"), trusted or not, that conditional
 * access policies refer to.
 *
 * @param cidrs IPv4 or IPv6 ranges such as 203.0.113.0/24 or 2001:db8::/32 (a bare address is /32 or /128)
 */
public record NamedLocation(String id, String name, boolean trusted, List<String> cidrs) {
    public NamedLocation {
        cidrs = cidrs == null ? List.of() : List.copyOf(cidrs);
    }
}
