package dev.drawbridge.proxy.logs;

import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.store.Database;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.TableField;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static dev.drawbridge.proxy.store.db.Tables.AUDIT_LOG;
import static dev.drawbridge.proxy.store.db.Tables.CONNECTOR_EVENT;
import static dev.drawbridge.proxy.store.db.Tables.SIGN_IN_LOG;

/**
 * Log retention: deletes the sign-in log's, the audit log's and the connector events' rows older than their retention
 * ({@link ServerConfig.Retention}; 30 days each unless configured, as Entra keeps its sign-in and audit logs), in batches
 * by the indexed time column so that no delete holds many rows locked at once. A background job ({@code logs.retention},
 * run on one node of a cluster at a time); it stops between batches when its thread is interrupted. Ages count from the
 * earlier of the node's and the database's clocks, so that one node's clock running ahead deletes nothing young.
 */
public final class LogRetention implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(LogRetention.class);
    /** Rows deleted per statement. */
    static final int BATCH = 5_000;

    private final DSLContext dsl;
    private final ServerConfig.Retention retention;
    private final Clock clock;
    private final int batch;

    public LogRetention(Database db, ServerConfig.Retention retention, Clock clock) {
        this(db, retention, clock, BATCH);
    }

    LogRetention(Database db, ServerConfig.Retention retention, Clock clock, int batch) {
        this.dsl = db.dsl();
        this.retention = retention;
        this.clock = clock;
        this.batch = batch;
    }

    @Override
    public void run() {
        Map<String, Long> deleted = purge();
        deleted.values().removeIf(n -> n == 0);
        if (!deleted.isEmpty()) {
            LOG.info("log retention: deleted {}", deleted);
        }
    }

    /** Deletes what is past its retention; how many rows of each log (in the order sign-in, audit, connector events). */
    public Map<String, Long> purge() {
        Map<String, Long> n = new LinkedHashMap<>();
        n.put("sign_in_log", purge(SIGN_IN_LOG, SIGN_IN_LOG.ID, SIGN_IN_LOG.AT, retention.signInLog()));
        n.put("audit_log", purge(AUDIT_LOG, AUDIT_LOG.ID, AUDIT_LOG.AT, retention.auditLog()));
        n.put("connector_event", purge(CONNECTOR_EVENT, CONNECTOR_EVENT.ID, CONNECTOR_EVENT.AT, retention.connectorEvents()));
        return n;
    }

    /**
     * The earlier of this node's clock and the database's: a node whose clock runs ahead (a bad NTP source, a clock set by
     * hand) must not delete entries that are younger than their retention by the clocks of the nodes that wrote them.
     */
    private Instant now() {
        Instant mine = clock.instant();
        OffsetDateTime database = dsl.select(DSL.currentOffsetDateTime()).fetchOne(0, OffsetDateTime.class);
        return database == null || mine.isBefore(database.toInstant()) ? mine : database.toInstant();
    }

    private <R extends Record> long purge(Table<R> table, TableField<R, Long> id, Field<OffsetDateTime> at,
                                                   Optional<Duration> keep) {
        if (keep.isEmpty()) {
            return 0;
        }
        OffsetDateTime cutoff = now().minus(keep.get()).atOffset(ZoneOffset.UTC);
        long total = 0;
        while (!Thread.currentThread().isInterrupted()) {
            // The batch's last id, then one delete up to it: H2 runs "id IN (SELECT ... LIMIT n)" in time quadratic in n.
            Optional<Long> last = dsl.select(id).from(table).where(at.lt(cutoff)).orderBy(id).offset(batch - 1).limit(1).fetchOptional(id);
            total += dsl.deleteFrom(table).where(at.lt(cutoff)).and(last.map(id::le).orElse(DSL.trueCondition())).execute();
            if (last.isEmpty()) {
                break;
            }
        }
        return total;
    }
}
