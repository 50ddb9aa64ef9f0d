package dev.drawbridge.proxy.admin.logs;

import dev.drawbridge.model.api.SignInStats;
import dev.drawbridge.proxy.admin.operation.AdminRequest;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.admin.operation.Queries;
import dev.drawbridge.proxy.logs.SignInLog;
import dev.drawbridge.proxy.web.ValidationException;

/** {@code GET /stats/sign-ins?hours=}: sign-ins and denials per hour over the last 1 to 744 hours (default 24), for the dashboard. */
public final class StatsApi {
    /** A month of hours. */
    static final int MAX_HOURS = 24 * 31;
    private final SignInLog log;

    public StatsApi(SignInLog log) {
        this.log = log;
    }

    public Answer signIns(Caller caller, AdminRequest request) throws ValidationException {
        int hours = Queries.integer(request, "hours", 24);
        if (hours < 1 || hours > MAX_HOURS) {
            throw new ValidationException("hours", "hours must be between 1 and " + MAX_HOURS);
        }
        return Answer.ok(new SignInStats(log.hourly(hours)));
    }
}
