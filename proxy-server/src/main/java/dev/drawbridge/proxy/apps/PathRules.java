package dev.drawbridge.proxy.apps;

import dev.drawbridge.model.api.PathPolicy;
import dev.drawbridge.model.api.PreAuthentication;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An app's path rules, matched as app routing matches apps ({@link RouteTable}): on the segments after the app's prefix, by
 * the app's case rule ({@link PathPrefix}: {@code /admin} is under {@code /admin}, never {@code /administrator}), on each
 * of the path's readings ({@link RequestPath}: raw, normalised, normalised cut at a decoded '?' or '#'). Each reading
 * picks its most specific rule (the app's own settings where none matches); a rule at least as specific that <em>may</em>
 * own a reading as some backend reads it (another letter case, a Unicode compatibility form, a Windows short name) is a
 * candidate too. The strictest candidate applies when it is at least as strict as every other one
 * ({@link PathAccess#atLeastAsStrictAs}); when none is, the request is refused. So every spelling of a path gets the
 * canonical spelling's rule or a stricter one, or is refused: a stricter path is never bypassed, and a looser one opens
 * only to its plain spelling.
 */
public final class PathRules {
    private record Entry(PathPrefix prefix, PathAccess access) {
    }

    /** What applies to a request: a path's access, or a refusal with a sentence for the client. */
    public sealed interface Decision {
        /** {@code access} applies. */
        record Apply(PathAccess access) implements Decision {
        }

        /** The readings of the path disagree on what applies, and no candidate is the strictest. */
        record Refused(String reason) implements Decision {
        }
    }

    private final PublishedApp app;
    private final int skip;
    private final List<Entry> entries;
    private final PathAccess base;

    private PathRules(PublishedApp app, List<PathPolicy> rules) {
        this.app = app;
        this.skip = new PathPrefix(app.externalPath(), app.caseInsensitivePaths()).length();
        List<Entry> list = new ArrayList<>();
        PathAccess root = PathAccess.of(app);
        for (PathPolicy p : rules) {
            PathPrefix prefix = new PathPrefix(segments(p.path()), app.caseInsensitivePaths());
            PathAccess access = new PathAccess(p.path(), preAuthentication(app, p), Set.copyOf(p.users()), Set.copyOf(p.policies()));
            if (prefix.length() == 0) {
                root = access;
            } else {
                list.add(new Entry(prefix, access));
            }
        }
        list.sort(Comparator.comparingInt((Entry e) -> e.prefix().length()).reversed());
        this.entries = List.copyOf(list);
        this.base = root;
    }

    /**
     * A rule's pre-authentication: its own, else the app's; but a rule that names users or policies always signs users in,
     * even should the app have become passthrough since (its path then fails closed: a passthrough app has no sign-in).
     */
    static PreAuthentication preAuthentication(PublishedApp app, PathPolicy p) {
        if (!p.users().isEmpty() || !p.policies().isEmpty()) {
            return PreAuthentication.DIRECTORY;
        }
        return p.preAuthentication() == null ? app.preAuthentication() : p.preAuthentication();
    }

    /** The rules of {@code app}: stored ones, in their canonical spelling (validated by {@link PathPolicyValidator}). */
    public static PathRules of(PublishedApp app, List<PathPolicy> rules) {
        return new PathRules(app, rules);
    }

    /** The segments of a canonical rule path ("/" is none). */
    static List<String> segments(String path) {
        return Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    }

    /** What applies to a request of this app with this path (routed to the app). */
    public Decision decide(RequestPath path) {
        if (entries.isEmpty()) {
            return new Decision.Apply(base);
        }
        Set<PathAccess> candidates = new LinkedHashSet<>();
        for (List<String> reading : List.of(path.segments(), path.rawSegments(), path.truncatedSegments())) {
            List<String> segs = reading.subList(Math.min(skip, reading.size()), reading.size());
            Optional<Entry> chosen = entries.stream().filter(e -> e.prefix().matches(segs)).findFirst();
            candidates.add(chosen.map(Entry::access).orElse(base));
            int floor = chosen.map(e -> e.prefix().length()).orElse(0);
            for (Entry e : entries) {
                if (chosen.filter(c -> c == e).isEmpty() && e.prefix().length() >= floor && e.prefix().mayMatch(segs)) {
                    candidates.add(e.access());
                }
            }
        }
        for (PathAccess c : candidates) {
            if (candidates.stream().allMatch(c::atLeastAsStrictAs)) {
                return new Decision.Apply(c);
            }
        }
        // Not naming the rules: the client learns only that the spelling is ambiguous.
        return new Decision.Refused("The path " + path.raw() + " may fall under different access rules of " + app.name()
                + " depending on how it is read; use the plain spelling of the address.");
    }
}
