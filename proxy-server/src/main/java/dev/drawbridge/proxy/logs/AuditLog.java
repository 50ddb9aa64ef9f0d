package dev.drawbridge.proxy.logs;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.drawbridge.model.api.AuditLogEntry;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.web.Json;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.drawbridge.proxy.store.db.Tables.AUDIT_LOG;

/**
 * The audit log: every change made through the admin API, with the actor, the target and its
 * state before and after (as JSON; secrets such as password hashes are never part of the views logged).
 */
public final class AuditLog {
    /** Filters; empty ones match everything. */
    public record Query(Optional<String> actor, Optional<String> action, Optional<String> targetType, Optional<String> targetId, Optional<Instant> from,
                        Optional<Instant> to, int offset, int limit) {
    }

    private final DSLContext dsl;
    private final Clock clock;

    public AuditLog(Database db, Clock clock) {
        this.dsl = db.dsl();
        this.clock = clock;
    }

    public void record(String actor, String action, String targetType, String targetId, Object before, Object after) {
        dsl.insertInto(AUDIT_LOG).set(AUDIT_LOG.AT, clock.instant().atOffset(ZoneOffset.UTC)).set(AUDIT_LOG.ACTOR, actor)
                .set(AUDIT_LOG.ACTION, action).set(AUDIT_LOG.TARGET_TYPE, targetType).set(AUDIT_LOG.TARGET_ID, targetId)
                .set(AUDIT_LOG.BEFORE_JSON, json(before)).set(AUDIT_LOG.AFTER_JSON, json(after)).execute();
    }

    public List<AuditLogEntry> query(Query q) {
        return dsl.selectFrom(AUDIT_LOG).where(condition(q)).orderBy(AUDIT_LOG.ID.desc()).offset(q.offset()).limit(q.limit())
                .fetch(r -> new AuditLogEntry(r.getId(), r.getAt().toInstant(), r.getActor(), r.getAction(), r.getTargetType(),
                        r.getTargetId(), r.getBeforeJson(), r.getAfterJson()));
    }

    public long count(Query q) {
        return dsl.fetchCount(AUDIT_LOG, condition(q));
    }

    private static Condition condition(Query q) {
        List<Condition> c = new ArrayList<>();
        q.actor().ifPresent(a -> c.add(AUDIT_LOG.ACTOR.eq(a)));
        q.action().ifPresent(a -> c.add(AUDIT_LOG.ACTION.eq(a)));
        q.targetType().ifPresent(t -> c.add(AUDIT_LOG.TARGET_TYPE.eq(t)));
        q.targetId().ifPresent(t -> c.add(AUDIT_LOG.TARGET_ID.eq(t)));
        q.from().ifPresent(f -> c.add(AUDIT_LOG.AT.ge(f.atOffset(ZoneOffset.UTC))));
        q.to().ifPresent(t -> c.add(AUDIT_LOG.AT.lt(t.atOffset(ZoneOffset.UTC))));
        return c.isEmpty() ? DSL.noCondition() : DSL.and(c);
    }

    private static String json(Object o) {
        if (o == null) {
            return null;
        }
        try {
            String s = Json.MAPPER.writeValueAsString(o);
            return s.length() > 20000 ? s.substring(0, 20000) : s;
        } catch (JsonProcessingException e) {
            return "\"(not serializable)\"";
        }
    }
}
