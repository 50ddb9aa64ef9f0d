package dev.drawbridge.proxy.admin.logs;

import dev.drawbridge.model.api.Page;
import dev.drawbridge.model.api.SignInLogEntry;
import dev.drawbridge.proxy.admin.operation.AdminRequest;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.admin.operation.Queries;
import dev.drawbridge.proxy.logs.SignInLog;
import dev.drawbridge.proxy.web.ValidationException;

import static dev.drawbridge.proxy.admin.operation.Queries.filter;
import static dev.drawbridge.proxy.admin.operation.Queries.instant;

/** {@code GET /sign-in-logs?upn=&app=&result=&event=&from=&to=}: sign-ins and access decisions, newest first. */
public final class SignInLogsApi {
    private final SignInLog log;

    public SignInLogsApi(SignInLog log) {
        this.log = log;
    }

    public Answer list(Caller caller, AdminRequest request) throws ValidationException {
        Queries.Paging p = Queries.paging(request);
        SignInLog.Query q = new SignInLog.Query(filter(request, "upn"), filter(request, "app"), filter(request, "result"),
                filter(request, "event"), instant(request, "from"), instant(request, "to"), p.offset(), p.limit());
        return Answer.ok(new Page<SignInLogEntry>(log.query(q), p.offset(), p.limit(), log.count(q)));
    }
}
