package dev.drawbridge.proxy.tunnel;

import dev.drawbridge.model.api.GroupMaintenance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;

/**
 * Which connector groups are in maintenance mode, as {@link ConnectorPicker} asks on every request: held in memory,
 * changed at once on this node by the admin API and re-read from the database by the periodic reload (so a change made on
 * another node holds here within one reload).
 */
public final class GroupMaintenances {
    private static final Logger LOG = LoggerFactory.getLogger(GroupMaintenances.class);

    private final ConnectorStore store;
    private volatile Map<String, GroupMaintenance> current = Map.of();

    public GroupMaintenances(ConnectorStore store) {
        this.store = store;
    }

    /** No group in maintenance, ever (for pickers without a database). */
    public static GroupMaintenances none() {
        return new GroupMaintenances(null);
    }

    /** The group's maintenance mode, when it is in it. */
    public Optional<GroupMaintenance> of(String groupId) {
        return Optional.ofNullable(current.get(groupId));
    }

    /**
     * Re-reads the groups in maintenance (the periodic reload, and after a change through this node). One at a time, so a
     * periodic reload that read before a change cannot write its stale answer after the change's own reload.
     */
    public synchronized void reload() {
        if (store == null) {
            return;
        }
        try {
            current = Map.copyOf(store.maintenances());
        } catch (RuntimeException e) {
            // Keep what was known: the database may be back at the next reload.
            LOG.warn("cannot re-read the connector groups in maintenance: {}", e.getMessage());
        }
    }
}
