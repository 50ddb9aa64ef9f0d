package dev.drawbridge.proxy.update;

import dev.drawbridge.model.api.ConnectorEventType;
import dev.drawbridge.model.api.RolloutSettings;
import dev.drawbridge.model.update.UpdateInstruction;
import dev.drawbridge.model.update.UpdateReport;
import dev.drawbridge.model.update.UpdateState;
import dev.drawbridge.model.update.UpdateVersions;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.db.tables.records.ConnectorUpdateRolloutRecord;
import dev.drawbridge.proxy.tunnel.ConnectorEventRecord;
import dev.drawbridge.proxy.tunnel.ConnectorRegistry;
import dev.drawbridge.proxy.web.ValidationException;
import org.jooq.DSLContext;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.impl.DSL;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.drawbridge.proxy.store.db.Tables.CONNECTOR;
import static dev.drawbridge.proxy.store.db.Tables.CONNECTOR_UPDATE;
import static dev.drawbridge.proxy.store.db.Tables.CONNECTOR_UPDATE_ROLLOUT;

/**
 * Each connector group's rollout: one connector of a group updates at a time (docs/updates.md, "Server: rollout"). Every
 * report of a connector is decided in one transaction holding its group's rollout row ({@code SELECT ... FOR UPDATE}), so
 * the rules hold with several nodes:
 * <ol>
 *   <li>the turn's holder reports FAILED or ROLLED_BACK for the version it was updating to: the group halts
 *       (UPDATE_FAILED), the turn is released;</li>
 *   <li>the holder reports that version, IDLE (restarted, tunnels up): the turn is released (UPDATED);</li>
 *   <li>a turn older than the lease: the group halts (UPDATE_FAILED on the holder), the turn is released;</li>
 *   <li>the holder asking again gets UPDATE again; nothing for DISABLED connectors, without a target, when up to date
 *       (pinned: the pinned version exactly; else nothing below the highest uploaded), halted, paused, or while another
 *       holds the turn;</li>
 *   <li>else the connector gets the turn (UPDATE_STARTED) and UPDATE with the target's signed manifest.</li>
 * </ol>
 * Only the holder's reports can release or halt its turn: another connector's report cannot.
 */
public final class Rollouts {
    /** A group's rollout as stored, and its target (empty: none). */
    public record Rollout(String groupId, String pinnedVersion, boolean paused, Optional<Instant> haltedAt, String haltedReason,
                          Optional<String> updatingConnectorId, String updatingTo, Optional<Instant> updatingSince, String targetVersion) {
        public boolean halted() {
            return haltedAt.isPresent();
        }
    }

    /** What a connector last reported about updating itself. */
    public record ConnectorUpdate(String connectorId, UpdateState state, String attemptedVersion, String error, Optional<Instant> reportedAt) {
        public static ConnectorUpdate never(String id) {
            return new ConnectorUpdate(id, UpdateState.IDLE, "", "", Optional.empty());
        }
    }

    private final DSLContext dsl;
    private final UpdateStore bundles;
    private final Clock clock;
    private final Duration lease;
    private volatile ConnectorRegistry.EventSink events = event -> { };

    public Rollouts(Database db, UpdateStore bundles, Clock clock, Duration lease) {
        if (lease == null || lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("update-lease: must be a positive duration");
        }
        this.dsl = db.dsl();
        this.bundles = bundles;
        this.clock = clock;
        this.lease = lease;
    }

    /** Where UPDATE_STARTED, UPDATED and UPDATE_FAILED go (the connector event log). */
    public void onEvent(ConnectorRegistry.EventSink sink) {
        this.events = sink;
    }

    /** Decides what connector {@code connectorId} (registered, authenticated) is to do after {@code report}, and stores it. */
    public UpdateInstruction report(String connectorId, UpdateReport report) {
        Optional<String> group = dsl.select(CONNECTOR.CONNECTOR_GROUP_ID).from(CONNECTOR).where(CONNECTOR.ID.eq(connectorId))
                .fetchOptional(CONNECTOR.CONNECTOR_GROUP_ID);
        if (group.isEmpty()) {
            return UpdateInstruction.none("unknown connector");
        }
        return locked(group.get(), (tx, r, out) -> decide(tx, r, connectorId, report, out));
    }

    /** The group's rollout now (a turn past its lease halts it first). */
    public Rollout rollout(String groupId) {
        return locked(groupId, (tx, r, out) -> {
            expire(tx, r, clock.instant(), out);
            return view(tx, r);
        });
    }

    /**
     * Sets what an administrator decides (paused, pinned version) and clears a halt; a pinned version must be uploaded (a
     * 400 naming {@code pinnedVersion}).
     */
    public Rollout set(String groupId, RolloutSettings settings) throws ValidationException {
        String pin = settings.pinnedVersion();
        if (!pin.isEmpty() && !bundles.exists(pin)) {
            throw new ValidationException("pinnedVersion", "version '" + cut(pin, 80) + "' is not uploaded; upload its bundle first");
        }
        return locked(groupId, (tx, r, out) -> {
            if (!pin.isEmpty() && !tx.fetchExists(CONNECTOR_UPDATE, CONNECTOR_UPDATE.VERSION.eq(pin))) {
                throw new IllegalStateException("version " + pin + " was deleted meanwhile");
            }
            r.setPinnedVersion(pin.isEmpty() ? null : pin);
            r.setPaused(settings.paused());
            r.setHaltedAt(null);
            r.setHaltedReason(null);
            r.store();
            return view(tx, r);
        });
    }

    /**
     * The version {@code connectorId} may download: the one its group's update turn is for, when the turn is its own
     * (not revoked, within the lease); empty otherwise.
     */
    public Optional<String> turnOf(String connectorId) {
        Instant now = clock.instant();
        return dsl.select(CONNECTOR_UPDATE_ROLLOUT.UPDATING_TO, CONNECTOR_UPDATE_ROLLOUT.UPDATING_SINCE).from(CONNECTOR_UPDATE_ROLLOUT)
                .join(CONNECTOR).on(CONNECTOR.CONNECTOR_GROUP_ID.eq(CONNECTOR_UPDATE_ROLLOUT.GROUP_ID))
                .where(CONNECTOR.ID.eq(connectorId)).and(CONNECTOR_UPDATE_ROLLOUT.UPDATING_CONNECTOR_ID.eq(connectorId))
                .and(CONNECTOR.REVOKED_AT.isNull()).fetchOptional()
                .filter(r -> r.value1() != null && r.value2() != null && now.isBefore(r.value2().toInstant().plus(lease)))
                .map(r -> r.value1());
    }

    /** What {@code connectorId} last reported (IDLE and nothing before its first report). */
    public ConnectorUpdate connector(String connectorId) {
        return dsl.select(CONNECTOR.UPDATE_STATE, CONNECTOR.ATTEMPTED_VERSION, CONNECTOR.UPDATE_ERROR, CONNECTOR.UPDATE_REPORTED_AT)
                .from(CONNECTOR).where(CONNECTOR.ID.eq(connectorId)).fetchOptional()
                .map(r -> new ConnectorUpdate(connectorId, state(r.value1()), orEmpty(r.value2()), orEmpty(r.value3()),
                        Optional.ofNullable(r.value4()).map(t -> t.toInstant())))
                .orElse(ConnectorUpdate.never(connectorId));
    }

    @FunctionalInterface
    private interface Decision<T> {
        T decide(DSLContext tx, ConnectorUpdateRolloutRecord rollout, List<ConnectorEventRecord> events);
    }

    /** Runs {@code decision} holding the group's rollout row; its events are written once it committed. */
    private <T> T locked(String groupId, Decision<T> decision) {
        try {
            dsl.insertInto(CONNECTOR_UPDATE_ROLLOUT).set(CONNECTOR_UPDATE_ROLLOUT.GROUP_ID, groupId)
                    .set(CONNECTOR_UPDATE_ROLLOUT.PAUSED, false).onConflictDoNothing().execute();
        } catch (IntegrityConstraintViolationException e) {
            // Made by another request meanwhile (or the group is gone: the select below finds nothing).
        }
        List<ConnectorEventRecord> out = new ArrayList<>();
        T result = dsl.transactionResult(cfg -> {
            DSLContext tx = DSL.using(cfg);
            ConnectorUpdateRolloutRecord r = tx.selectFrom(CONNECTOR_UPDATE_ROLLOUT).where(CONNECTOR_UPDATE_ROLLOUT.GROUP_ID.eq(groupId))
                    .forUpdate().fetchOne();
            if (r == null) {
                throw new IllegalStateException("connector group " + groupId + " does not exist");
            }
            return decision.decide(tx, r, out);
        });
        out.forEach(events::event);
        return result;
    }

    private UpdateInstruction decide(DSLContext tx, ConnectorUpdateRolloutRecord r, String id, UpdateReport report,
                                     List<ConnectorEventRecord> out) {
        Instant now = clock.instant();
        // The connector row is written first, then read: a revocation or move committed meanwhile (it locks this rollout
        // row, then the connector row, and releases the turn) is seen here, so no turn is granted to a revoked connector.
        tx.update(CONNECTOR).set(CONNECTOR.VERSION, cut(report.version(), 64)).set(CONNECTOR.UPDATE_STATE, report.state().name())
                .set(CONNECTOR.ATTEMPTED_VERSION, nullIfEmpty(report.attemptedVersion()))
                .set(CONNECTOR.UPDATE_ERROR, nullIfEmpty(report.lastError()))
                .set(CONNECTOR.UPDATE_REPORTED_AT, now.atOffset(ZoneOffset.UTC)).where(CONNECTOR.ID.eq(id)).execute();
        var c = tx.select(CONNECTOR.CONNECTOR_GROUP_ID, CONNECTOR.HOST_NAME, CONNECTOR.REVOKED_AT).from(CONNECTOR)
                .where(CONNECTOR.ID.eq(id)).fetchOne();
        if (c == null || !r.getGroupId().equals(c.value1())) {
            return UpdateInstruction.none("the connector moved to another group; report again");
        }
        if (c.value3() != null) {
            return UpdateInstruction.none("the connector is revoked");
        }
        String host = c.value2();
        boolean holds = id.equals(r.getUpdatingConnectorId());
        String to = r.getUpdatingTo();
        UpdateState state = report.state();
        // 1. The holder's update failed or was rolled back: halt the group.
        if (holds && (state == UpdateState.FAILED || state == UpdateState.ROLLED_BACK) && to.equals(report.attemptedVersion())) {
            String reason = "connector " + host + " (" + id + ") could not update to " + to + ": "
                    + (report.lastError().isBlank() ? (state == UpdateState.FAILED ? "it failed" : "it was rolled back") : report.lastError());
            halt(r, now, reason);
            out.add(new ConnectorEventRecord(id, ConnectorEventType.UPDATE_FAILED, cut(reason, 1000)));
            return UpdateInstruction.none("the group's rollout is halted: " + reason);
        }
        // 2. The holder came back healthy on its new version.
        if (holds && state == UpdateState.IDLE && report.version().equals(to)) {
            out.add(new ConnectorEventRecord(id, ConnectorEventType.UPDATED, "from " + orEmpty(r.getUpdatingFrom()) + " to " + to));
            release(r);
            r.store();
            return UpdateInstruction.none("up to date");
        }
        // 3. A turn past its lease.
        expire(tx, r, now, out);
        holds = id.equals(r.getUpdatingConnectorId());
        if (holds && state == UpdateState.DISABLED) {
            release(r);
            r.store();
            return UpdateInstruction.none("auto-update is off on this connector");
        }
        // 4. The holder asks again (it may have restarted before downloading): the same instruction.
        if (holds) {
            return bundles.find(to).map(b -> UpdateInstruction.update(to, b.manifest()))
                    .orElseGet(() -> UpdateInstruction.none("version " + to + " is no longer uploaded"));
        }
        if (state == UpdateState.DISABLED) {
            return UpdateInstruction.none("auto-update is off on this connector");
        }
        Optional<String> target = target(tx, r);
        if (target.isEmpty()) {
            return UpdateInstruction.none("no update is uploaded");
        }
        if (!due(report.version(), target.get(), r.getPinnedVersion() != null)) {
            return UpdateInstruction.none("up to date");
        }
        if (r.getHaltedAt() != null) {
            return UpdateInstruction.none("the group's rollout is halted: " + r.getHaltedReason());
        }
        if (r.getPaused()) {
            return UpdateInstruction.none("the group's rollout is paused");
        }
        if (r.getUpdatingConnectorId() != null) {
            return UpdateInstruction.none("waiting for connector " + hostOf(tx, r.getUpdatingConnectorId()) + " to update");
        }
        // 5. This connector's turn.
        String manifest = tx.select(CONNECTOR_UPDATE.MANIFEST).from(CONNECTOR_UPDATE).where(CONNECTOR_UPDATE.VERSION.eq(target.get()))
                .fetchOne(CONNECTOR_UPDATE.MANIFEST);
        r.setUpdatingConnectorId(id);
        r.setUpdatingFrom(cut(report.version(), 80));
        r.setUpdatingTo(target.get());
        r.setUpdatingSince(now.atOffset(ZoneOffset.UTC));
        r.store();
        out.add(new ConnectorEventRecord(id, ConnectorEventType.UPDATE_STARTED, "from " + report.version() + " to " + target.get()));
        return UpdateInstruction.update(target.get(), manifest);
    }

    /**
     * Whether a connector on {@code version} is to update to {@code target}: to a pinned version whenever it runs another
     * (lower: a roll back); to the highest uploaded only from below (a newer package's version is never downgraded).
     */
    public static boolean due(String version, String target, boolean pinned) {
        int c = UpdateVersions.compare(version, target);
        return pinned ? c != 0 : c < 0;
    }

    /** Rule 3: a turn held past the lease halts the group and is released. */
    private void expire(DSLContext tx, ConnectorUpdateRolloutRecord r, Instant now, List<ConnectorEventRecord> out) {
        String holder = r.getUpdatingConnectorId();
        if (holder == null || now.isBefore(r.getUpdatingSince().toInstant().plus(lease))) {
            return;
        }
        String reason = "connector " + hostOf(tx, holder) + " (" + holder + ") did not come back healthy on " + r.getUpdatingTo()
                + " within " + describe(lease);
        halt(r, now, reason);
        out.add(new ConnectorEventRecord(holder, ConnectorEventType.UPDATE_FAILED, reason));
    }

    private static void halt(ConnectorUpdateRolloutRecord r, Instant now, String reason) {
        r.setHaltedAt(now.atOffset(ZoneOffset.UTC));
        r.setHaltedReason(cut(reason, 1000));
        release(r);
        r.store();
    }

    private static void release(ConnectorUpdateRolloutRecord r) {
        r.setUpdatingConnectorId(null);
        r.setUpdatingFrom(null);
        r.setUpdatingTo(null);
        r.setUpdatingSince(null);
    }

    private Optional<String> target(DSLContext tx, ConnectorUpdateRolloutRecord r) {
        return r.getPinnedVersion() != null ? Optional.of(r.getPinnedVersion()) : bundles.highest(tx);
    }

    private Rollout view(DSLContext tx, ConnectorUpdateRolloutRecord r) {
        return new Rollout(r.getGroupId(), orEmpty(r.getPinnedVersion()), r.getPaused(),
                Optional.ofNullable(r.getHaltedAt()).map(t -> t.toInstant()), orEmpty(r.getHaltedReason()),
                Optional.ofNullable(r.getUpdatingConnectorId()), orEmpty(r.getUpdatingTo()),
                Optional.ofNullable(r.getUpdatingSince()).map(t -> t.toInstant()), target(tx, r).orElse(""));
    }

    private static String hostOf(DSLContext tx, String connectorId) {
        return Optional.ofNullable(tx.select(CONNECTOR.HOST_NAME).from(CONNECTOR).where(CONNECTOR.ID.eq(connectorId))
                .fetchOne(CONNECTOR.HOST_NAME)).orElse("(deleted)");
    }

    /** {@code 15 min}, {@code 90 s}, {@code 2 h}. */
    static String describe(Duration d) {
        if (d.toSeconds() % 3600 == 0) {
            return d.toHours() + " h";
        }
        return d.toSeconds() % 60 == 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }

    private static UpdateState state(String s) {
        try {
            return s == null ? UpdateState.IDLE : UpdateState.valueOf(s);
        } catch (IllegalArgumentException e) {
            return UpdateState.IDLE;
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String nullIfEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
