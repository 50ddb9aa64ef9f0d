package dev.drawbridge.proxy.secrets;

import dev.drawbridge.proxy.store.Database;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static dev.drawbridge.proxy.store.db.Tables.CLUSTER_SECRET;

/** The table {@code cluster_secret}: the sealed shared secrets, one row each. */
final class SharedSecretStore {
    /** One sealed secret as stored. */
    record Row(String name, String keyId, String sealed) {
    }

    private final DSLContext dsl;

    SharedSecretStore(Database db) {
        this.dsl = db.dsl();
    }

    List<Row> all() {
        return dsl.select(CLUSTER_SECRET.NAME, CLUSTER_SECRET.KEY_ID, CLUSTER_SECRET.SEALED).from(CLUSTER_SECRET)
                .orderBy(CLUSTER_SECRET.NAME).fetch(r -> new Row(r.value1(), r.value2(), r.value3()));
    }

    boolean isEmpty() {
        return dsl.fetchCount(CLUSTER_SECRET) == 0;
    }

    /**
     * Stores {@code rows} if the table is empty, in one transaction; returns whether it did. The table is locked for the
     * transaction (PostgreSQL), so of two first nodes racing one stores its secrets whole and the other, waiting on the
     * lock, then finds them and stores nothing.
     */
    boolean createIfEmpty(List<Row> rows, Instant now) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = DSL.using(cfg);
            if (tx.dialect().family() == SQLDialect.POSTGRES) {
                tx.execute("LOCK TABLE cluster_secret IN EXCLUSIVE MODE");
            }
            if (tx.fetchCount(CLUSTER_SECRET) > 0) {
                return false;
            }
            OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
            for (Row r : rows) {
                tx.insertInto(CLUSTER_SECRET).set(CLUSTER_SECRET.NAME, r.name()).set(CLUSTER_SECRET.KEY_ID, r.keyId())
                        .set(CLUSTER_SECRET.SEALED, r.sealed()).set(CLUSTER_SECRET.UPDATED_AT, at).execute();
            }
            return true;
        });
    }

    /**
     * In one transaction, with the rows named {@code names} locked ({@code SELECT … FOR UPDATE}): reads them, and writes
     * back the rows {@code change} makes of them (of the same names). A second writer waits for the first to commit and
     * then reads what it wrote.
     */
    List<Row> update(List<String> names, UnaryOperator<Map<String, Row>> change, Instant now) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = DSL.using(cfg);
            Map<String, Row> locked = new LinkedHashMap<>();
            tx.select(CLUSTER_SECRET.NAME, CLUSTER_SECRET.KEY_ID, CLUSTER_SECRET.SEALED).from(CLUSTER_SECRET)
                    .where(CLUSTER_SECRET.NAME.in(names)).orderBy(CLUSTER_SECRET.NAME).forUpdate()
                    .fetch(r -> new Row(r.value1(), r.value2(), r.value3())).forEach(r -> locked.put(r.name(), r));
            Map<String, Row> after = change.apply(locked);
            OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
            for (Row r : after.values()) {
                if (!names.contains(r.name())) {
                    throw new IllegalArgumentException("not a locked row: " + r.name());
                }
                tx.update(CLUSTER_SECRET).set(CLUSTER_SECRET.KEY_ID, r.keyId()).set(CLUSTER_SECRET.SEALED, r.sealed())
                        .set(CLUSTER_SECRET.UPDATED_AT, at).where(CLUSTER_SECRET.NAME.eq(r.name())).execute();
            }
            return List.copyOf(after.values());
        });
    }

    /** Replaces the row {@code before} with {@code after} (same name) if nobody changed it meanwhile; returns whether it did. */
    boolean replace(Row before, Row after, Instant now) {
        return dsl.update(CLUSTER_SECRET).set(CLUSTER_SECRET.KEY_ID, after.keyId()).set(CLUSTER_SECRET.SEALED, after.sealed())
                .set(CLUSTER_SECRET.UPDATED_AT, now.atOffset(ZoneOffset.UTC))
                .where(CLUSTER_SECRET.NAME.eq(before.name()), CLUSTER_SECRET.SEALED.eq(before.sealed())).execute() == 1;
    }
}
