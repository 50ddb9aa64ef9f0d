package dev.drawbridge.proxy.tunnel;

import dev.drawbridge.proxy.store.db.tables.records.ConnectorUpdateRolloutRecord;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.drawbridge.proxy.store.db.Tables.CONNECTOR;
import static dev.drawbridge.proxy.store.db.Tables.CONNECTOR_UPDATE_ROLLOUT;

/**
 * Releases the update turn of a connector that is revoked, moved to another group or removed, in the transaction that
 * does so: its group's rollout goes on with another connector at once, instead of halting when the turn's lease runs out
 * (docs/updates.md). No halt: an administrator (or the retention of inactive connectors) removed it on purpose.
 *
 * <p>The rollout rows are locked first, then the connector rows, the order in which {@code update.Rollouts} decides a
 * report, so that the two never deadlock, and a report racing with a revocation either is decided before it (and its turn
 * released here) or sees the connector revoked.
 */
final class UpdateTurns {
    private UpdateTurns() {
    }

    /**
     * Releases the turns {@code connectorIds} hold (in their groups, or held anywhere); answers the version each holder was
     * updating to, by connector id.
     */
    static Map<String, String> release(DSLContext tx, Collection<String> connectorIds) {
        if (connectorIds.isEmpty()) {
            return Map.of();
        }
        Condition groups = CONNECTOR_UPDATE_ROLLOUT.GROUP_ID.in(DSL.select(CONNECTOR.CONNECTOR_GROUP_ID).from(CONNECTOR)
                .where(CONNECTOR.ID.in(connectorIds)));
        Map<String, String> released = tx.selectFrom(CONNECTOR_UPDATE_ROLLOUT)
                .where(groups.or(CONNECTOR_UPDATE_ROLLOUT.UPDATING_CONNECTOR_ID.in(connectorIds))).forUpdate().fetch().stream()
                .filter(r -> r.getUpdatingConnectorId() != null && connectorIds.contains(r.getUpdatingConnectorId()))
                .collect(Collectors.toMap(ConnectorUpdateRolloutRecord::getUpdatingConnectorId,
                        ConnectorUpdateRolloutRecord::getUpdatingTo, (a, b) -> a));
        if (!released.isEmpty()) {
            tx.update(CONNECTOR_UPDATE_ROLLOUT).setNull(CONNECTOR_UPDATE_ROLLOUT.UPDATING_CONNECTOR_ID)
                    .setNull(CONNECTOR_UPDATE_ROLLOUT.UPDATING_FROM).setNull(CONNECTOR_UPDATE_ROLLOUT.UPDATING_TO)
                    .setNull(CONNECTOR_UPDATE_ROLLOUT.UPDATING_SINCE)
                    .where(CONNECTOR_UPDATE_ROLLOUT.UPDATING_CONNECTOR_ID.in(released.keySet())).execute();
        }
        return released;
    }
}
