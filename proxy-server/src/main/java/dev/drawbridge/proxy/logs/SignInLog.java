package dev.drawbridge.proxy.logs;

import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.SignInEvent;
import dev.drawbridge.model.api.SignInLogEntry;
import dev.drawbridge.model.api.SignInResult;
import dev.drawbridge.model.api.SignInStats;
import dev.drawbridge.proxy.store.Database;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

import static dev.drawbridge.proxy.store.db.Tables.SIGN_IN_LOG;

/** The sign-in log: written for every sign-in attempt and access decision, queried by the admin API. */
public final class SignInLog {
    /** Filters of a query; empty ones match everything. */
    public record Query(Optional<String> upn, Optional<String> appId, Optional<String> result, Optional<String> event,
                        Optional<Instant> from, Optional<Instant> to, int offset, int limit) {
    }

    private final DSLContext dsl;
    private final Clock clock;
    private final Consumer<SignInRecord> observer;

    public SignInLog(Database db, Clock clock) {
        this(db, clock, line -> { });
    }

    /** A log that also tells {@code observer} (metrics) of every line, before it is written. */
    public SignInLog(Database db, Clock clock, Consumer<SignInRecord> observer) {
        this.dsl = db.dsl();
        this.clock = clock;
        this.observer = observer;
    }

    /** Writes one line, stamped with the current time; long texts are cut to their columns' sizes. */
    public void write(SignInRecord line) {
        // Counted even when the database cannot take the line: the sign-in happened.
        observer.accept(line);
        dsl.insertInto(SIGN_IN_LOG).set(SIGN_IN_LOG.AT, clock.instant().atOffset(ZoneOffset.UTC))
                .set(SIGN_IN_LOG.EVENT, line.event().name()).set(SIGN_IN_LOG.RESULT, line.result().name())
                .set(SIGN_IN_LOG.REASON, cut(line.reason(), 500)).set(SIGN_IN_LOG.USER_ID, line.userId().orElse(null))
                .set(SIGN_IN_LOG.UPN, line.upn().map(u -> cut(u, 320)).orElse(null)).set(SIGN_IN_LOG.APP_ID, line.appId().orElse(null))
                .set(SIGN_IN_LOG.APP_NAME, line.appName().orElse(null)).set(SIGN_IN_LOG.CLIENT_IP, cut(line.clientIp(), 64))
                .set(SIGN_IN_LOG.CLIENT_TYPE, line.clientType().name()).set(SIGN_IN_LOG.MFA_USED, line.mfaUsed())
                .set(SIGN_IN_LOG.POLICIES, line.policies().isEmpty() ? null : cut(line.policies(), 2000)).execute();
    }

    /** Newest first. */
    public List<SignInLogEntry> query(Query q) {
        return dsl.selectFrom(SIGN_IN_LOG).where(condition(q)).orderBy(SIGN_IN_LOG.ID.desc()).offset(q.offset()).limit(q.limit())
                .fetch(r -> new SignInLogEntry(r.getId(), r.getAt().toInstant(), SignInEvent.valueOf(r.getEvent()),
                        SignInResult.valueOf(r.getResult()), r.getReason(), r.getUserId(), r.getUpn(), r.getAppId(), r.getAppName(),
                        r.getClientIp(), AccessPolicy.ClientType.valueOf(r.getClientType()), r.getMfaUsed(),
                        r.getPolicies() == null ? "" : r.getPolicies()));
    }

    /** Hourly counts over the last {@code hours} hours, oldest first; each entry's result decides its column. */
    public List<SignInStats.Bucket> hourly(int hours) {
        Instant end = clock.instant().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        Instant start = end.minus(Duration.ofHours(hours));
        int[] ok = new int[hours], denied = new int[hours];
        dsl.select(SIGN_IN_LOG.AT, SIGN_IN_LOG.RESULT).from(SIGN_IN_LOG).where(SIGN_IN_LOG.AT.ge(start.atOffset(ZoneOffset.UTC)))
                .fetch().forEach(r -> {
                    int i = (int) Duration.between(start, r.value1().toInstant()).toHours();
                    if (i >= 0 && i < hours) {
                        if (SignInResult.SUCCESS.name().equals(r.value2())) {
                            ok[i]++;
                        } else if (!SignInResult.INTERRUPTED.name().equals(r.value2())) {
                            denied[i]++;
                        }
                    }
                });
        List<SignInStats.Bucket> out = new ArrayList<>(hours);
        for (int i = 0; i < hours; i++) {
            out.add(new SignInStats.Bucket(start.plus(Duration.ofHours(i)), ok[i], denied[i]));
        }
        return out;
    }

    public long count(Query q) {
        return dsl.fetchCount(SIGN_IN_LOG, condition(q));
    }

    private static Condition condition(Query q) {
        List<Condition> c = new ArrayList<>();
        q.upn().ifPresent(u -> c.add(SIGN_IN_LOG.UPN.eq(u.toLowerCase(Locale.ROOT))));
        q.appId().ifPresent(a -> c.add(SIGN_IN_LOG.APP_ID.eq(a)));
        q.result().ifPresent(r -> c.add(SIGN_IN_LOG.RESULT.eq(r)));
        q.event().ifPresent(e -> c.add(SIGN_IN_LOG.EVENT.eq(e)));
        q.from().ifPresent(f -> c.add(SIGN_IN_LOG.AT.ge(f.atOffset(ZoneOffset.UTC))));
        q.to().ifPresent(t -> c.add(SIGN_IN_LOG.AT.lt(t.atOffset(ZoneOffset.UTC))));
        return c.isEmpty() ? DSL.noCondition() : DSL.and(c);
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
