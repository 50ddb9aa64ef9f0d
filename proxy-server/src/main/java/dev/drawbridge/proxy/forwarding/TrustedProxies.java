package dev.drawbridge.proxy.forwarding;

import org.eclipse.jetty.util.InetAddressPattern;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The peers whose word about the client's address Drawbridge takes: load balancers and reverse proxies in
 * front of it, as IP ranges (CIDR). Everyone else is the client: their socket address is the address
 * Drawbridge decides on, whatever headers they send.
 *
 * <p>From a trusted peer, the client is the rightmost {@code X-Forwarded-For} entry that is not itself a trusted
 * proxy (each proxy appends the address it saw, so entries left of the first untrusted one were written by
 * whoever the client was, and may be forged). An entry that is not an IP address stops the walk at the last
 * trusted hop. Addresses are parsed strictly (dotted quads without leading zeros, IPv6 without zone), never
 * looked up in DNS.
 */
public final class TrustedProxies {
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    private static final TrustedProxies NONE = new TrustedProxies(List.of());

    private final List<InetAddressPattern> ranges;

    private TrustedProxies(List<InetAddressPattern> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /** No trusted proxies: every peer is the client. */
    public static TrustedProxies none() {
        return NONE;
    }

    /** The given ranges; throws {@link IllegalArgumentException} with {@link #problem}'s sentence for a bad one. */
    public static TrustedProxies of(List<String> cidrs) {
        List<InetAddressPattern> ranges = new ArrayList<>();
        for (String c : cidrs) {
            problem(c).ifPresent(p -> {
                throw new IllegalArgumentException(p);
            });
            ranges.add(InetAddressPattern.from(c.strip()));
        }
        return ranges.isEmpty() ? NONE : new TrustedProxies(ranges);
    }

    /** What is wrong with a range such as {@code 10.0.0.0/8}, {@code 192.0.2.7} or {@code 2001:db8::/32}; empty when it is fine. */
    public static Optional<String> problem(String cidr) {
        String text = cidr == null ? "" : cidr.strip();
        int slash = text.indexOf('/');
        Optional<InetAddress> address = literal(slash < 0 ? text : text.substring(0, slash));
        String example = "an IP address or range such as 10.0.0.0/8, 192.0.2.7 or 2001:db8::/32";
        if (address.isEmpty()) {
            return Optional.of("'" + text + "' is not " + example);
        }
        byte[] bytes = address.get().getAddress();
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = text.substring(slash + 1);
            if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > bits) {
                return Optional.of("'" + text + "' is not " + example + " (the prefix length is 0-" + bits + ")");
            }
            prefix = Integer.parseInt(p);
        }
        if (prefix == 0) {
            return Optional.of("'" + text + "' trusts every address, so any client could choose the address it is seen from;"
                    + " list only your load balancers");
        }
        for (int bit = prefix; bit < bits; bit++) {
            if ((bytes[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
                return Optional.of("'" + text + "' has address bits set beyond its /" + prefix + " prefix; write the network address");
            }
        }
        return Optional.empty();
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    public boolean contains(InetAddress address) {
        for (InetAddressPattern r : ranges) {
            if (r.test(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The client's address: {@code peer} itself unless it is trusted; then the rightmost entry of the
     * {@code X-Forwarded-For} lines (in arrival order) that is not trusted, or the leftmost when all are.
     */
    public InetAddress client(InetAddress peer, List<String> forwardedFor) {
        InetAddress current = peer;
        if (!contains(current)) {
            return current;
        }
        List<String> entries = new ArrayList<>();
        for (String line : forwardedFor) {
            entries.addAll(List.of(line.split(",", -1)));
        }
        for (int i = entries.size() - 1; i >= 0; i--) {
            Optional<InetAddress> hop = forwardedEntry(entries.get(i).strip());
            if (hop.isEmpty()) {
                return current;
            }
            current = hop.get();
            if (!contains(current)) {
                return current;
            }
        }
        return current;
    }

    /** One {@code X-Forwarded-For} entry: an address, IPv4 with a port, or a bracketed IPv6 with or without one. */
    static Optional<InetAddress> forwardedEntry(String entry) {
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            String rest = close < 0 ? "" : entry.substring(close + 1);
            if (close < 0 || !(rest.isEmpty() || (rest.startsWith(":") && PORT.matcher(rest.substring(1)).matches()))) {
                return Optional.empty();
            }
            String inner = entry.substring(1, close);
            return inner.contains(":") ? literal(inner) : Optional.empty();
        }
        int colon = entry.indexOf(':');
        if (colon > 0 && colon == entry.lastIndexOf(':') && PORT.matcher(entry.substring(colon + 1)).matches()) {
            return literal(entry.substring(0, colon)).filter(a -> a.getAddress().length == 4);
        }
        return literal(entry);
    }

    /** A strict IPv4 or IPv6 literal (IPv4-mapped IPv6 comes back as IPv4), never a host name. */
    static Optional<InetAddress> literal(String text) {
        if (IPV4.matcher(text).matches() || IPV6.matcher(text).matches()) {
            try {
                return Optional.of(InetAddress.ofLiteral(text));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
