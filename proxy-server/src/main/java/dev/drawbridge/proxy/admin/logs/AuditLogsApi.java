package dev.drawbridge.proxy.admin.logs;

import dev.drawbridge.model.api.AuditLogEntry;
import dev.drawbridge.model.api.Page;
import dev.drawbridge.proxy.admin.operation.AdminRequest;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.admin.operation.Queries;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.web.ValidationException;

import static dev.drawbridge.proxy.admin.operation.Queries.filter;
import static dev.drawbridge.proxy.admin.operation.Queries.instant;

/** {@code GET /audit-logs?actor=&action=&targetType=&targetId=&from=&to=}: changes made through the admin API, newest first. */
public final class AuditLogsApi {
    private final AuditLog audit;

    public AuditLogsApi(AuditLog audit) {
        this.audit = audit;
    }

    public Answer list(Caller caller, AdminRequest request) throws ValidationException {
        Queries.Paging p = Queries.paging(request);
        AuditLog.Query q = new AuditLog.Query(filter(request, "actor"), filter(request, "action"), filter(request, "targetType"),
                filter(request, "targetId"), instant(request, "from"), instant(request, "to"), p.offset(), p.limit());
        return Answer.ok(new Page<AuditLogEntry>(audit.query(q), p.offset(), p.limit(), audit.count(q)));
    }
}
