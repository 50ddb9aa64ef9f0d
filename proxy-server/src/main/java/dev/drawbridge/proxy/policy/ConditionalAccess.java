package dev.drawbridge.proxy.policy;

import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.NamedLocation;

import java.net.InetAddress;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Evaluates conditional access policies for one sign-in (an immutable snapshot of policies and
 * named locations). Every matching policy applies; BLOCK wins over REQUIRE_MFA; REPORT_ONLY and
 * OFF policies never change the outcome, but report-only matches are listed for the sign-in log.
 */
public final class ConditionalAccess {
    /** Who is signing in, to what, from where, how, and when. */
    public record Context(String userId, String upn, Set<String> groupIds, Set<String> groupNames, String appId,
                          InetAddress clientIp, AccessPolicy.ClientType clientType, Instant at) {
    }

    /** The outcome and the policies behind it. */
    public record Decision(Outcome outcome, List<String> applied, List<String> reportOnly) {
        /** What the proxy does. */
        public enum Outcome { ALLOW, REQUIRE_MFA, BLOCK }

        /** For the sign-in log: "name: CONTROL" per policy, report-only ones marked. */
        public String summary() {
            List<String> all = new ArrayList<>(applied);
            reportOnly.forEach(r -> all.add(r + " [report-only]"));
            return String.join("; ", all);
        }
    }

    private final List<AccessPolicy> policies;
    private final Map<String, NamedLocation> locations;
    private final Map<String, List<Cidr>> ranges;

    public ConditionalAccess(List<AccessPolicy> policies, List<NamedLocation> locations) {
        this.policies = List.copyOf(policies);
        this.locations = locations.stream().collect(Collectors.toUnmodifiableMap(NamedLocation::id, Function.identity()));
        this.ranges = locations.stream().collect(Collectors.toUnmodifiableMap(NamedLocation::id,
                l -> l.cidrs().stream().map(Cidr::parse).toList()));
    }

    public static ConditionalAccess none() {
        return new ConditionalAccess(List.of(), List.of());
    }

    public Decision evaluate(Context ctx) {
        return evaluate(ctx, Set.of());
    }

    /**
     * As {@link #evaluate(Context)}, the policies {@code alsoApplying} (ids; a path rule's) applying to the app whatever apps
     * they name; their other conditions still apply.
     */
    public Decision evaluate(Context ctx, Set<String> alsoApplying) {
        Decision.Outcome outcome = Decision.Outcome.ALLOW;
        List<String> applied = new ArrayList<>();
        List<String> reportOnly = new ArrayList<>();
        for (AccessPolicy p : policies) {
            if (p.state() == AccessPolicy.State.OFF || !matches(p, ctx, alsoApplying.contains(p.id()))) {
                continue;
            }
            String line = p.name() + ": " + p.control();
            if (p.state() == AccessPolicy.State.REPORT_ONLY) {
                reportOnly.add(line);
                continue;
            }
            applied.add(line);
            if (p.control() == AccessPolicy.Control.BLOCK) {
                outcome = Decision.Outcome.BLOCK;
            } else if (outcome == Decision.Outcome.ALLOW) {
                outcome = Decision.Outcome.REQUIRE_MFA;
            }
        }
        return new Decision(outcome, applied, reportOnly);
    }

    private boolean matches(AccessPolicy p, Context ctx, boolean forApp) {
        if (!forApp && !p.apps().isEmpty() && !p.apps().contains(ctx.appId())) {
            return false;
        }
        if (!p.users().contains("ALL") && !isPrincipal(p.users(), ctx)) {
            return false;
        }
        if (isPrincipal(p.excludeUsers(), ctx)) {
            return false;
        }
        if (!p.locations().isEmpty() && p.locations().stream().noneMatch(l -> inLocation(l, ctx.clientIp()))) {
            return false;
        }
        if (p.excludeLocations().stream().anyMatch(l -> inLocation(l, ctx.clientIp()))) {
            return false;
        }
        if (!p.clientTypes().isEmpty() && !p.clientTypes().contains(ctx.clientType())) {
            return false;
        }
        return p.time() == null || inWindow(p.time(), ctx.at());
    }

    private static boolean isPrincipal(List<String> principals, Context ctx) {
        for (String s : principals) {
            if (s.equals(ctx.userId()) || s.equalsIgnoreCase(ctx.upn()) || ctx.groupIds().contains(s) || ctx.groupNames().contains(s)) {
                return true;
            }
        }
        return false;
    }

    private boolean inLocation(String ref, InetAddress ip) {
        boolean trusted = locations.values().stream().filter(NamedLocation::trusted).anyMatch(l -> contains(l.id(), ip));
        return switch (ref) {
            case "TRUSTED" -> trusted;
            case "UNTRUSTED" -> !trusted;
            default -> contains(ref, ip);
        };
    }

    private boolean contains(String locationId, InetAddress ip) {
        return ranges.getOrDefault(locationId, List.of()).stream().anyMatch(c -> c.contains(ip));
    }

    static boolean inWindow(AccessPolicy.TimeWindow w, Instant at) {
        ZonedDateTime t = at.atZone(w.zone() == null || w.zone().isBlank() ? ZoneId.of("UTC") : ZoneId.of(w.zone()));
        LocalTime start = LocalTime.parse(w.start()), end = LocalTime.parse(w.end()), now = t.toLocalTime();
        boolean spansMidnight = end.isBefore(start);
        boolean inHours = spansMidnight ? !now.isBefore(start) || now.isBefore(end) : !now.isBefore(start) && now.isBefore(end);
        // Past midnight, the window belongs to the day it started on.
        DayOfWeek day = spansMidnight && now.isBefore(end) ? t.getDayOfWeek().minus(1) : t.getDayOfWeek();
        boolean onDay = w.days().isEmpty() || w.days().stream().anyMatch(d -> d.toUpperCase(Locale.ROOT).equals(day.name()));
        return inHours && onDay;
    }

    /** An IPv4 or IPv6 range. */
    record Cidr(byte[] network, int prefix) {
        static Cidr parse(String text) {
            String t = text.strip();
            int slash = t.indexOf('/');
            String literal = slash < 0 ? t : t.substring(0, slash);
            // ofLiteral also takes the old short forms ("10.0.0" = 10.0.0.0): insist on four parts for IPv4.
            if (!literal.contains(":") && !literal.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
                throw new IllegalArgumentException("not a dotted-quad IPv4 address: " + literal);
            }
            InetAddress addr = InetAddress.ofLiteral(literal);
            int bits = addr.getAddress().length * 8;
            int prefix = slash < 0 ? bits : Integer.parseInt(t.substring(slash + 1));
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("prefix length " + prefix + " out of range for " + t);
            }
            return new Cidr(addr.getAddress(), prefix);
        }

        boolean contains(InetAddress ip) {
            byte[] a = ip.getAddress();
            if (a.length != network.length) {
                return false;
            }
            int full = prefix / 8, rest = prefix % 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (a[full] & mask) == (network[full] & mask);
        }
    }

    /** A readable error for a CIDR that does not parse, or empty. */
    public static Optional<String> cidrProblem(String text) {
        try {
            Cidr.parse(text);
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("'" + text + "' is not an IP range like 203.0.113.0/24 or 2001:db8::/32");
        }
    }
}
