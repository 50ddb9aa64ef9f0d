package dev.drawbridge.proxy.apps;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Immutable snapshot of the published apps, indexed by external host. A request goes to the app of
 * its host whose prefix is the longest that the path is under by that app's rule ({@link PathPrefix}:
 * exact, or ignoring case for case-insensitive apps), decided three times: on the raw path, on the
 * normalised path and on the normalised path cut at a decoded '?' or '#' ({@link RequestPath}). The
 * request is refused when
 * <ul>
 *   <li>the readings go to different apps, or only some of them go to an app ({@code /%68r/} for
 *       {@code /hr/}: a backend behind "/" would read it as {@code /hr/}; {@code /hr%3F}, which a
 *       backend that decodes and parses the URL again reads as {@code /hr});</li>
 *   <li>an app that was not chosen, with a prefix at least as long as the chosen one's, <em>may</em>
 *       own the path as some backend reads it ({@code /HR/} when {@code /hr/} is case-sensitive:
 *       we cannot know how the chosen app's backend treats case, and no request may reach a backend
 *       under a path that another app owns).</li>
 *   <li>the chosen app's upstream path (its internal path and the raw remainder) may be under the internal path of
 *       another app on the same backend whose internal path is longer ({@link NestedInternalPaths}: {@code /hr/salaries}
 *       through {@code https://intra/ → http://x.corp/} when {@code http://x.corp/hr/} is HR's).</li>
 * </ul>
 * A host with no app of its own goes to the wildcard apps ({@code *.apps.example.com}) whose {@code *} its first label
 * matches ({@link WildcardHost}: exactly one plain DNS label), chosen by path the same way, as the app's instance for that
 * label ({@link PublishedApp#forLabel}); an exact host's apps always win over a wildcard app, whatever the path.
 */
public final class RouteTable {
    /** Where a request goes. */
    public sealed interface Route {
        /** To {@code app}; {@code remainder} is the raw path after the app's prefix (forwarded byte for byte). */
        record To(PublishedApp app, String remainder) implements Route {
            public To {
                Objects.requireNonNull(app);
                Objects.requireNonNull(remainder);
            }
        }

        /** No app of the host is published at this path (or the host has none). */
        record NoApp() implements Route {
        }

        /** The path may belong to more than one app, depending on how it is read; {@code reason} is for the client. */
        record Refused(String reason) implements Route {
        }
    }

    private record Entry(PublishedApp app, PathPrefix prefix) {
    }

    /** What one reading of the path found: the app chosen (or null), and an app that may own the path instead (or null). */
    private record Reading(PublishedApp chosen, PublishedApp contested) {
    }

    private final Map<String, List<Entry>> byHost;
    /** Wildcard apps by the suffix they cover ({@code .apps.example.com}). */
    private final Map<String, List<Entry>> byWildcard;
    private final List<PublishedApp> apps;
    private final NestedInternalPaths nested;

    public RouteTable(List<PublishedApp> apps) {
        this.apps = List.copyOf(apps);
        this.nested = new NestedInternalPaths(this.apps);
        this.byHost = index(this.apps.stream().filter(a -> !a.isWildcard()).toList(), a -> a.externalHost().toLowerCase(Locale.ROOT));
        this.byWildcard = index(this.apps.stream().filter(PublishedApp::isWildcard).toList(), a -> WildcardHost.suffix(a.externalHost()));
    }

    private static Map<String, List<Entry>> index(List<PublishedApp> apps, Function<PublishedApp, String> key) {
        Map<String, List<Entry>> m = new HashMap<>();
        for (PublishedApp a : apps) {
            m.computeIfAbsent(key.apply(a), k -> new ArrayList<>()).add(new Entry(a, new PathPrefix(a.externalPath(), a.caseInsensitivePaths())));
        }
        m.replaceAll((k, v) -> v.stream().sorted(Comparator.comparingInt((Entry e) -> e.prefix().length()).reversed()).toList());
        return Map.copyOf(m);
    }

    public static RouteTable empty() {
        return new RouteTable(List.of());
    }

    /** The route of a request for {@code host} (without port) and {@code path}. */
    public Route route(String host, RequestPath path) {
        String h = host.toLowerCase(Locale.ROOT);
        List<Entry> candidates = byHost.get(h);
        String label = "";
        if (candidates == null) {
            // The most specific app wins: a host with apps of its own never falls back to a wildcard app, whatever the path.
            int dot = h.indexOf('.');
            candidates = dot <= 0 ? null : byWildcard.get(h.substring(dot));
            label = dot <= 0 ? "" : h.substring(0, dot);
            // ASCII before lower-casing too: the Kelvin sign (U+212A) lower-cases to 'k'.
            if (candidates == null || !WildcardHost.isLabel(label) || !host.substring(0, dot).chars().allMatch(c -> c < 0x80)) {
                return new Route.NoApp();
            }
        }
        Reading raw = read(candidates, path.rawSegments());
        Reading normalised = read(candidates, path.segments());
        Reading truncated = read(candidates, path.truncatedSegments());
        for (Reading r : List.of(normalised, raw, truncated)) {
            if (r.contested() != null) {
                // The page does not name the other app: an unauthenticated client learns nothing of what is published.
                return new Route.Refused("The path " + path.raw() + " may belong to another app on this host, depending on how "
                        + "it is read; use the exact spelling of the app's address.");
            }
        }
        if (raw.chosen() != normalised.chosen() || truncated.chosen() != normalised.chosen()) {
            return new Route.Refused("The path " + path.raw() + " reads as " + path.normalised()
                    + " once decoded, which would send it to a different app; use the plain spelling.");
        }
        if (raw.chosen() == null) {
            return new Route.NoApp();
        }
        PublishedApp app = label.isEmpty() ? raw.chosen() : raw.chosen().forLabel(label);
        String remainder = app.remainder(path.raw()).orElseThrow();
        if (nested.reachesNested(app, remainder)) {
            // Not named either: the client learns only that this part of the backend is not this app's.
            return new Route.Refused("The path " + path.raw() + " leads to a part of this app's server that is published as "
                    + "another app; open that app at its own address.");
        }
        return new Route.To(app, remainder);
    }

    private static Reading read(List<Entry> candidates, List<String> segments) {
        Entry chosen = candidates.stream().filter(e -> e.prefix().matches(segments)).findFirst().orElse(null);
        int floor = chosen == null ? 0 : chosen.prefix().length();
        for (Entry e : candidates) {
            if (e != chosen && e.prefix().length() >= floor && e.prefix().mayMatch(segments)) {
                return new Reading(chosen == null ? null : chosen.app(), e.app());
            }
        }
        return new Reading(chosen == null ? null : chosen.app(), null);
    }

    /** The published apps as stored (wildcard apps as their templates). */
    public List<PublishedApp> apps() {
        return apps;
    }

    /**
     * The app a sign-in reference names ({@link PublishedApp#signInRef}): an app by id, or a wildcard app's instance for
     * {@code id@label}; a wildcard app without a label, or a label on another app, names none.
     */
    public Optional<PublishedApp> bySignInRef(String ref) {
        if (ref == null) {
            return Optional.empty();
        }
        int at = ref.lastIndexOf('@');
        String id = at < 0 ? ref : ref.substring(0, at);
        String label = at < 0 ? "" : ref.substring(at + 1);
        Optional<PublishedApp> app = apps.stream().filter(a -> a.id().equals(id)).findFirst();
        if (app.isEmpty() || app.get().isWildcard() == label.isEmpty() || (!label.isEmpty() && !WildcardHost.isLabel(label))) {
            return Optional.empty();
        }
        return label.isEmpty() ? app : Optional.of(app.get().forLabel(label));
    }
}
