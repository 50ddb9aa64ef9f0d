package dev.drawbridge.proxy.identity;

import dev.drawbridge.model.api.AccessRequestStatus;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.db.tables.records.AccessRequestRecord;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.drawbridge.proxy.store.db.Tables.ACCESS_REQUEST;
import static dev.drawbridge.proxy.store.db.Tables.APP_OWNER;

/**
 * Self-service access requests: created by users, decided by admins; approval assigns the app. The status column holds
 * the {@link AccessRequestStatus} name; this store is the only place that reads or writes it.
 */
public final class AccessRequests {
    /** One request. */
    public record Request(String id, String appId, String userId, String reason, AccessRequestStatus status, Instant createdAt,
                          Optional<Instant> decidedAt, Optional<String> decidedBy) {
    }

    private final DSLContext dsl;
    private final DirectoryStore directory;
    private final Clock clock;

    public AccessRequests(Database db, DirectoryStore directory, Clock clock) {
        this.dsl = db.dsl();
        this.directory = directory;
        this.clock = clock;
    }

    /** Creates a pending request, or returns the one already pending for this user and app. */
    public Request request(String appId, String userId, String reason) {
        Optional<Request> pending = forUser(userId).stream().filter(r -> r.appId().equals(appId) && r.status() == AccessRequestStatus.PENDING).findFirst();
        if (pending.isPresent()) {
            return pending.get();
        }
        String id = UUID.randomUUID().toString();
        dsl.insertInto(ACCESS_REQUEST).set(ACCESS_REQUEST.ID, id).set(ACCESS_REQUEST.APP_ID, appId).set(ACCESS_REQUEST.USER_ID, userId)
                .set(ACCESS_REQUEST.REASON, reason.length() > 1000 ? reason.substring(0, 1000) : reason)
                .set(ACCESS_REQUEST.STATUS, AccessRequestStatus.PENDING.name()).set(ACCESS_REQUEST.CREATED_AT,
                        clock.instant().atOffset(ZoneOffset.UTC)).execute();
        return find(id).orElseThrow();
    }

    public Optional<Request> find(String id) {
        return dsl.selectFrom(ACCESS_REQUEST).where(ACCESS_REQUEST.ID.eq(id)).fetchOptional(AccessRequests::toRequest);
    }

    public List<Request> forUser(String userId) {
        return dsl.selectFrom(ACCESS_REQUEST).where(ACCESS_REQUEST.USER_ID.eq(userId)).orderBy(ACCESS_REQUEST.CREATED_AT.desc())
                .fetch(AccessRequests::toRequest);
    }

    /** Every request with this status (empty: every request), newest first. */
    public List<Request> all(Optional<AccessRequestStatus> status) {
        return dsl.selectFrom(ACCESS_REQUEST).where(status.map(s -> ACCESS_REQUEST.STATUS.eq(s.name())).orElse(DSL.noCondition()))
                .orderBy(ACCESS_REQUEST.CREATED_AT.desc()).fetch(AccessRequests::toRequest);
    }

    public void addOwner(String appId, String userId) {
        dsl.insertInto(APP_OWNER).set(APP_OWNER.APP_ID, appId).set(APP_OWNER.USER_ID, userId).onConflictDoNothing().execute();
    }

    public boolean removeOwner(String appId, String userId) {
        return dsl.deleteFrom(APP_OWNER).where(APP_OWNER.APP_ID.eq(appId)).and(APP_OWNER.USER_ID.eq(userId)).execute() > 0;
    }

    public List<String> owners(String appId) {
        return dsl.select(APP_OWNER.USER_ID).from(APP_OWNER).where(APP_OWNER.APP_ID.eq(appId)).fetch(APP_OWNER.USER_ID);
    }

    /** Apps this user owns. */
    public List<String> ownedApps(String userId) {
        return dsl.select(APP_OWNER.APP_ID).from(APP_OWNER).where(APP_OWNER.USER_ID.eq(userId)).fetch(APP_OWNER.APP_ID);
    }

    /** Pending requests for the apps this user owns, oldest first. */
    public List<Request> pendingForOwner(String userId) {
        List<String> apps = ownedApps(userId);
        return apps.isEmpty() ? List.of() : dsl.selectFrom(ACCESS_REQUEST).where(ACCESS_REQUEST.APP_ID.in(apps))
                .and(ACCESS_REQUEST.STATUS.eq(AccessRequestStatus.PENDING.name())).orderBy(ACCESS_REQUEST.CREATED_AT).fetch(AccessRequests::toRequest);
    }

    /** Approves (assigning the user) or denies a pending request; false if it was not pending. */
    public boolean decide(String id, boolean approve, String decidedBy) {
        Instant now = clock.instant();
        int n = dsl.update(ACCESS_REQUEST).set(ACCESS_REQUEST.STATUS, (approve ? AccessRequestStatus.APPROVED : AccessRequestStatus.DENIED).name())
                .set(ACCESS_REQUEST.DECIDED_AT, now.atOffset(ZoneOffset.UTC)).set(ACCESS_REQUEST.DECIDED_BY, decidedBy)
                .where(ACCESS_REQUEST.ID.eq(id)).and(ACCESS_REQUEST.STATUS.eq(AccessRequestStatus.PENDING.name())).execute();
        if (n == 1 && approve) {
            Request r = find(id).orElseThrow();
            directory.assign(r.appId(), DirectoryStore.PrincipalType.USER, r.userId(), now);
        }
        return n == 1;
    }

    private static Request toRequest(AccessRequestRecord r) {
        return new Request(r.getId(), r.getAppId(), r.getUserId(), r.getReason(), AccessRequestStatus.valueOf(r.getStatus()), r.getCreatedAt().toInstant(),
                Optional.ofNullable(r.getDecidedAt()).map(OffsetDateTime::toInstant), Optional.ofNullable(r.getDecidedBy()));
    }
}
