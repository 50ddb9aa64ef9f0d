package dev.drawbridge.proxy.routing;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Immutable snapshot of the published apps, indexed by external host. Lookup picks, among the
 * apps of a host, the one with the longest external path prefix that the request path starts with.
 */
public final class RouteTable {
    private final Map<String, List<PublishedApp>> byHost;
    private final List<PublishedApp> apps;

    public RouteTable(List<PublishedApp> apps) {
        this.apps = List.copyOf(apps);
        Map<String, List<PublishedApp>> m = new HashMap<>();
        for (PublishedApp a : apps) {
            m.computeIfAbsent(a.externalHost().toLowerCase(Locale.ROOT), k -> new java.util.ArrayList<>()).add(a);
        }
        m.replaceAll((k, v) -> v.stream()
                .sorted(Comparator.comparingInt((PublishedApp a) -> a.externalPath().length()).reversed()).toList());
        this.byHost = Map.copyOf(m);
    }

    public static RouteTable empty() {
        return new RouteTable(List.of());
    }

    /**
     * The app for a host (without port) and a decoded request path. A path equal to the prefix
     * without its trailing slash ("/hr" for "/hr/") also matches.
     */
    public Optional<PublishedApp> route(String host, String path) {
        List<PublishedApp> candidates = byHost.get(host.toLowerCase(Locale.ROOT));
        if (candidates == null) {
            return Optional.empty();
        }
        String p = path == null || path.isEmpty() ? "/" : path;
        for (PublishedApp a : candidates) {
            String prefix = a.externalPath();
            if (p.startsWith(prefix) || p.equals(prefix.substring(0, prefix.length() - 1))) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    public List<PublishedApp> apps() {
        return apps;
    }
}
