package dev.drawbridge.proxy.jobs;

import dev.drawbridge.proxy.store.Database;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.types.DayToSecond;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

import static dev.drawbridge.proxy.store.db.Tables.JOB_LEASE;

/**
 * Leased rows ({@code job_lease}) that let one node at a time run a background job, once per period across every node on
 * the database. Each change is one atomic UPDATE whose condition says who may make it, so two nodes racing for a lease
 * cannot both get it: the database serialises the two updates and the second finds the condition false. Every time is the
 * database's ({@code CURRENT_TIMESTAMP}): nodes' clocks are never compared.
 */
public final class JobLeases {
    private final DSLContext dsl;
    private final String holder;

    /** Leases held in the name of {@code holder} (this node's name, at most 64 characters). */
    public JobLeases(Database db, String holder) {
        if (holder == null || holder.isBlank() || holder.length() > 64) {
            throw new IllegalArgumentException("a lease holder's name must have 1 to 64 characters");
        }
        this.dsl = db.dsl();
        this.holder = holder;
    }

    public String holder() {
        return holder;
    }

    /** Creates the job's row if no node did yet (idempotent, safe to race). */
    public void register(String name) {
        dsl.insertInto(JOB_LEASE).set(JOB_LEASE.NAME, name).onConflictDoNothing().execute();
    }

    private static Field<OffsetDateTime> now() {
        return DSL.currentOffsetDateTime();
    }

    private static Field<OffsetDateTime> nowPlus(Duration d) {
        return now().plus(DayToSecond.valueOf(d));
    }

    /**
     * Takes the job's lease for {@code lease} if nobody holds it (or the holder's lease ran out) and the job is due: it never
     * finished, or finished {@code period} ago or more. True when this node now holds it.
     */
    public boolean tryAcquire(String name, Duration period, Duration lease) {
        Condition free = JOB_LEASE.HOLDER.isNull().or(JOB_LEASE.EXPIRES_AT.lt(now()));
        Condition due = JOB_LEASE.LAST_FINISHED_AT.isNull().or(JOB_LEASE.LAST_FINISHED_AT.le(now().minus(DayToSecond.valueOf(period))));
        return dsl.update(JOB_LEASE).set(JOB_LEASE.HOLDER, holder).set(JOB_LEASE.EXPIRES_AT, nowPlus(lease))
                .set(JOB_LEASE.LAST_STARTED_AT, now())
                .where(JOB_LEASE.NAME.eq(name)).and(free).and(due).execute() == 1;
    }

    /** Extends this node's lease by {@code lease} from now; false when it no longer holds it (it ran out and another took it). */
    public boolean renew(String name, Duration lease) {
        return dsl.update(JOB_LEASE).set(JOB_LEASE.EXPIRES_AT, nowPlus(lease))
                .where(JOB_LEASE.NAME.eq(name)).and(JOB_LEASE.HOLDER.eq(holder)).execute() == 1;
    }

    /** Gives the lease back, recording the run as finished now; false when this node no longer held it. */
    public boolean finish(String name) {
        return dsl.update(JOB_LEASE).setNull(JOB_LEASE.HOLDER).setNull(JOB_LEASE.EXPIRES_AT).set(JOB_LEASE.LAST_FINISHED_AT, now())
                .set(JOB_LEASE.LAST_HOLDER, holder)
                .where(JOB_LEASE.NAME.eq(name)).and(JOB_LEASE.HOLDER.eq(holder)).execute() == 1;
    }

    /**
     * Gives the lease back without recording a finished run (the job failed, or this node stops): the job stays due, and
     * another node may run it at its next tick.
     */
    public boolean release(String name) {
        return dsl.update(JOB_LEASE).setNull(JOB_LEASE.HOLDER).setNull(JOB_LEASE.EXPIRES_AT)
                .where(JOB_LEASE.NAME.eq(name)).and(JOB_LEASE.HOLDER.eq(holder)).execute() == 1;
    }

    /** A job's row as stored: who holds it until when, and its last run. */
    public record Lease(String name, Optional<String> holder, Optional<Instant> expiresAt, Optional<Instant> lastStartedAt,
                        Optional<Instant> lastFinishedAt, Optional<String> lastHolder) {
    }

    public Optional<Lease> find(String name) {
        return dsl.selectFrom(JOB_LEASE).where(JOB_LEASE.NAME.eq(name)).fetchOptional(r -> new Lease(r.getName(),
                Optional.ofNullable(r.getHolder()), instant(r.getExpiresAt()), instant(r.getLastStartedAt()),
                instant(r.getLastFinishedAt()), Optional.ofNullable(r.getLastHolder())));
    }

    private static Optional<Instant> instant(OffsetDateTime t) {
        return Optional.ofNullable(t).map(OffsetDateTime::toInstant);
    }
}
