package dev.drawbridge.proxy.tunnel;

import dev.drawbridge.model.api.ConnectorEvent;
import dev.drawbridge.model.api.ConnectorEventType;
import dev.drawbridge.proxy.store.Database;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import static dev.drawbridge.proxy.store.db.Tables.CONNECTOR_EVENT;

/**
 * The connector event log: registrations, first tunnel up, last tunnel down, missed heartbeats, revocations,
 * moves and tunnels cut for an expired certificate. What an admin looks at when a connector group goes dark.
 */
public final class ConnectorEvents {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorEvents.class);

    /** Filters; empty ones match everything. */
    public record Query(Optional<String> connectorId, Optional<String> type, Optional<Instant> from, Optional<Instant> to,
                        int offset, int limit) {
    }

    private final DSLContext dsl;
    private final Clock clock;

    public ConnectorEvents(Database db, Clock clock) {
        this.dsl = db.dsl();
        this.clock = clock;
    }

    /** Writes an event, stamped with the current time; a database hiccup is logged, never thrown into the tunnel code that reports it. */
    public void write(ConnectorEventRecord event) {
        String detail = event.detail();
        try {
            dsl.insertInto(CONNECTOR_EVENT).set(CONNECTOR_EVENT.AT, clock.instant().atOffset(ZoneOffset.UTC))
                    .set(CONNECTOR_EVENT.CONNECTOR_ID, event.connectorId()).set(CONNECTOR_EVENT.TYPE, event.type().name())
                    .set(CONNECTOR_EVENT.DETAIL, detail.length() > 1000 ? detail.substring(0, 1000) : detail).execute();
        } catch (RuntimeException e) {
            LOG.warn("cannot record connector event {} for {}: {}", event.type(), event.connectorId(), e.toString());
        }
    }

    /** Newest first. */
    public List<ConnectorEvent> query(Query q, Function<String, Optional<String>> names) {
        return dsl.selectFrom(CONNECTOR_EVENT).where(condition(q)).orderBy(CONNECTOR_EVENT.ID.desc())
                .offset(q.offset()).limit(q.limit())
                .fetch(r -> new ConnectorEvent(r.getId(), r.getAt().toInstant(), r.getConnectorId(),
                        names.apply(r.getConnectorId()).orElse(null), ConnectorEventType.valueOf(r.getType()), r.getDetail()));
    }

    public long count(Query q) {
        return dsl.fetchCount(CONNECTOR_EVENT, condition(q));
    }

    private static Condition condition(Query q) {
        List<Condition> c = new ArrayList<>();
        q.connectorId().ifPresent(id -> c.add(CONNECTOR_EVENT.CONNECTOR_ID.eq(id)));
        q.type().ifPresent(t -> c.add(CONNECTOR_EVENT.TYPE.eq(t.toUpperCase(Locale.ROOT))));
        q.from().ifPresent(f -> c.add(CONNECTOR_EVENT.AT.ge(f.atOffset(ZoneOffset.UTC))));
        q.to().ifPresent(t -> c.add(CONNECTOR_EVENT.AT.lt(t.atOffset(ZoneOffset.UTC))));
        return c.isEmpty() ? DSL.noCondition() : DSL.and(c);
    }
}
