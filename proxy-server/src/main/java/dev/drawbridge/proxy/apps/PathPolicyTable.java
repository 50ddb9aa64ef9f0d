package dev.drawbridge.proxy.apps;

import dev.drawbridge.model.api.PathPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The current path rules of every app, an immutable snapshot swapped atomically when rules change (and re-read with the
 * routes, so changes made on another node arrive too). A failed reload keeps the previous snapshot.
 */
public final class PathPolicyTable {
    private static final Logger LOG = LoggerFactory.getLogger(PathPolicyTable.class);
    private final PathPolicyStore store;
    private final AtomicReference<Map<String, List<PathPolicy>>> current = new AtomicReference<>(Map.of());

    public PathPolicyTable(PathPolicyStore store) {
        this.store = store;
        // No fallback at start: without its rules, a stricter path would be open.
        current.set(store.all());
    }

    public void reload() {
        try {
            current.set(store.all());
        } catch (RuntimeException e) {
            LOG.warn("cannot reload path rules, keeping the previous ones: {}", e.toString());
        }
    }

    /** The rules of {@code app} as they stand. */
    public PathRules rules(PublishedApp app) {
        return PathRules.of(app, current.get().getOrDefault(app.id(), List.of()));
    }
}
