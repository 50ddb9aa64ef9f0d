package dev.drawbridge.proxy.policy;

import dev.drawbridge.proxy.store.Database;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.impl.DSL;
import org.jooq.types.DayToSecond;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.drawbridge.proxy.store.db.Tables.THROTTLE_SHARE;

/**
 * The {@code throttle_share} rows through which the nodes of a cluster tell each other what they were asked to admit and
 * admitted, per throttle scope. One transaction per exchange (one connection): this node's rows upserted, every node's
 * fresh rows read back. Freshness is the database's clock, so nodes' clocks never compare.
 */
final class ThrottleShareStore {
    private final DSLContext dsl;

    ThrottleShareStore(Database db) {
        this.dsl = db.dsl();
    }

    /** What a node was asked and admitted a second lately, in one scope. */
    record Rates(double demand, double admitted) {
    }

    /** A fresh row: a node, a scope, what it was asked a second. */
    record Row(String node, String scope, double demand) {
    }

    /** Upserts {@code node}'s rates and returns every node's rows updated within {@code fresh} (this one's included). */
    List<Row> exchange(String node, Map<String, Rates> mine, Duration fresh) {
        return dsl.transactionResult(cfg -> {
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
        });
    }

    /** Removes every node's rows not updated for {@code age} (nodes long gone, apps no longer asked for). */
    int removeOlderThan(Duration age) {
        return dsl.deleteFrom(THROTTLE_SHARE).where(THROTTLE_SHARE.UPDATED_AT.lt(DSL.currentOffsetDateTime().minus(DayToSecond.valueOf(age))))
                .execute();
    }

    /** Removes a node's rows (it stops): the others take its share at their next sync. */
    int remove(String node) {
        return dsl.deleteFrom(THROTTLE_SHARE).where(THROTTLE_SHARE.NODE_ID.eq(node)).execute();
    }
}
