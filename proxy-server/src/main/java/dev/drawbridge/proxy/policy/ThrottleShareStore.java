package dev.drawbridge.proxy.policy;

import dev.drawbridge.proxy.store.Database;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.SQLDialect;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.types.DayToSecond;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import javax.sql.DataSource;

import static dev.drawbridge.proxy.store.db.Tables.THROTTLE_SHARE;

/**
 * The {@code throttle_share} rows through which the nodes of a cluster tell each other what they were asked to admit and
 * admitted, per throttle scope. One transaction per exchange: this node's rows upserted, every node's fresh rows read back.
 * Freshness is the database's clock, so nodes' clocks never compare.
 * <p>
 * On a connection of its own, outside the pool, whose every wait (login, each read) is bounded: an exchange with a
 * database gone silent (a partition, a failover: no reset) ends by itself with an error, and the connection is dropped
 * quietly. Before, the sync's thread was interrupted, and the pool logged the connection it closed under that interrupt as
 * broken, with a stack trace, at WARN on every stall. Not the pool's either: four exchanges a second from every node
 * would take a pooled connection from requests each time.
 */
final class ThrottleShareStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ThrottleShareStore.class);
    private final DataSource source;
    private final SQLDialect dialect;
    /** The connection between exchanges; an exchange takes it (or opens one) and puts it back only when it went well. */
    private final AtomicReference<Connection> spare = new AtomicReference<>();
    private volatile boolean closed;

    /** Exchanges on {@code db}, each wait bounded by {@code timeout}. */
    ThrottleShareStore(Database db, Duration timeout) {
        this.source = db.unpooled(timeout);
        this.dialect = db.dsl().dialect();
    }

    /** What a node was asked and admitted a second lately, in one scope. */
    record Rates(double demand, double admitted) {
    }

    /** A fresh row: a node, a scope, what it was asked a second. */
    record Row(String node, String scope, double demand) {
    }

    /** Upserts {@code node}'s rates and returns every node's rows updated within {@code fresh} (this one's included). */
    List<Row> exchange(String node, Map<String, Rates> mine, Duration fresh) {
        return on(dsl -> dsl.transactionResult(cfg -> {
            DSLContext tx = DSL.using(cfg);
            List<Query> upserts = new ArrayList<>();
            mine.forEach((scope, r) -> upserts.add(tx.insertInto(THROTTLE_SHARE).set(THROTTLE_SHARE.NODE_ID, node)
                    .set(THROTTLE_SHARE.SCOPE, scope).set(THROTTLE_SHARE.DEMAND, r.demand()).set(THROTTLE_SHARE.ADMITTED, r.admitted())
                    .set(THROTTLE_SHARE.UPDATED_AT, DSL.currentOffsetDateTime())
                    .onConflict(THROTTLE_SHARE.NODE_ID, THROTTLE_SHARE.SCOPE).doUpdate()
                    .set(THROTTLE_SHARE.DEMAND, r.demand()).set(THROTTLE_SHARE.ADMITTED, r.admitted())
                    .set(THROTTLE_SHARE.UPDATED_AT, DSL.currentOffsetDateTime())));
            if (!upserts.isEmpty()) {
                tx.batch(upserts).execute();
            }
            return tx.select(THROTTLE_SHARE.NODE_ID, THROTTLE_SHARE.SCOPE, THROTTLE_SHARE.DEMAND).from(THROTTLE_SHARE)
                    .where(THROTTLE_SHARE.UPDATED_AT.gt(DSL.currentOffsetDateTime().minus(DayToSecond.valueOf(fresh))))
                    .fetch(r -> new Row(r.value1(), r.value2(), r.value3()));
        }));
    }

    /** Removes every node's rows not updated for {@code age} (nodes long gone, apps no longer asked for). */
    int removeOlderThan(Duration age) {
        return on(dsl -> dsl.deleteFrom(THROTTLE_SHARE)
                .where(THROTTLE_SHARE.UPDATED_AT.lt(DSL.currentOffsetDateTime().minus(DayToSecond.valueOf(age)))).execute());
    }

    /** Removes a node's rows (it stops): the others take its share at their next sync. */
    int remove(String node) {
        return on(dsl -> dsl.deleteFrom(THROTTLE_SHARE).where(THROTTLE_SHARE.NODE_ID.eq(node)).execute());
    }

    /**
     * Runs {@code work} on the spare connection or a new one; a connection whose work failed is closed (it may be dead, or
     * in the middle of a statement), never reused.
     */
    private <T> T on(Function<DSLContext, T> work) {
        Connection c = spare.getAndSet(null);
        try {
            if (c == null) {
                c = source.getConnection();
            }
        } catch (SQLException e) {
            throw new DataAccessException("throttle shares: no connection to the database: " + e.getMessage(), e);
        }
        T result;
        try {
            result = work.apply(DSL.using(c, dialect));
        } catch (RuntimeException e) {
            quietlyClose(c);
            throw e;
        }
        if (closed || !spare.compareAndSet(null, c)) {
            quietlyClose(c);
        }
        return result;
    }

    private static void quietlyClose(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debug("throttle shares: closing a connection: {}", e.toString());
        }
    }

    /** Closes the spare connection; an exchange still running closes its own when it ends. */
    @Override
    public void close() {
        closed = true;
        Connection c = spare.getAndSet(null);
        if (c != null) {
            quietlyClose(c);
        }
    }
}
