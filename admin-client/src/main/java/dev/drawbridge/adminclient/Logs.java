package dev.drawbridge.adminclient;

import dev.drawbridge.model.api.AuditLogEntry;
import dev.drawbridge.model.api.Page;
import dev.drawbridge.model.api.SignInEvent;
import dev.drawbridge.model.api.SignInLogEntry;
import dev.drawbridge.model.api.SignInResult;
import dev.drawbridge.model.api.SignInStats;

import java.time.Instant;

/** {@code /sign-in-logs}, {@code /audit-logs} and {@code /stats/sign-ins}: what happened, newest first. */
public interface Logs {
    /** Filters of {@link #signIns}: user, app, result, event, time range; null: any. */
    record SignInFilter(String upn, String app, SignInResult result, SignInEvent event, Instant from, Instant to) implements Query {
        public static final SignInFilter NONE = new SignInFilter(null, null, null, null, null, null);
    }

    /** Filters of {@link #audit}: who, what action, what target, time range; null: any. */
    record AuditFilter(String actor, String action, String targetType, String targetId, Instant from, Instant to) implements Query {
        public static final AuditFilter NONE = new AuditFilter(null, null, null, null, null, null);
    }

    /** How many hours back {@link #signInStats} counts; null: the server's default (24). */
    record StatsWindow(Integer hours) implements Query {
        public static final StatsWindow DEFAULT = new StatsWindow(null);
    }

    @Operation(method = "GET", path = "sign-in-logs")
    Page<SignInLogEntry> signIns(Paging paging, SignInFilter filter) throws AdminClientException;

    @Operation(method = "GET", path = "audit-logs")
    Page<AuditLogEntry> audit(Paging paging, AuditFilter filter) throws AdminClientException;

    /** Sign-ins and denials per hour. */
    @Operation(method = "GET", path = "stats/sign-ins")
    SignInStats signInStats(StatsWindow window) throws AdminClientException;
}
