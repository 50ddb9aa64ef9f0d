package dev.drawbridge.proxy.admin.directory;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import dev.drawbridge.model.api.DirectorySyncResult;
import dev.drawbridge.model.api.LdapSyncSettings;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.validation.DirectorySyncRules;
import dev.drawbridge.proxy.admin.operation.AdminRequest;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.identity.LdapSync;
import dev.drawbridge.proxy.jobs.ClusterJobs;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.web.ValidationException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /directory-sync}: the LDAP / Active Directory sync settings (the bind password write-only, and needed again
 * when the settings point elsewhere), and {@code /directory-sync/run} to sync now (502 naming what LDAP said). A sync now
 * takes the scheduled sync's cluster lease ({@link #JOB}), so that it never runs beside another sync on any node: 409 while
 * one runs.
 */
public final class DirectorySyncApi {
    /** The background job (and lease) of the directory sync, run once across the cluster. */
    public static final String JOB = "directory.sync";

    private final LdapSync ldap;
    private final AuditLog audit;
    private final ClusterJobs jobs;
    private final ClusterJobs.Job job;

    public DirectorySyncApi(LdapSync ldap, AuditLog audit, ClusterJobs jobs, ClusterJobs.Job job) {
        if (!JOB.equals(job.name())) {
            throw new IllegalArgumentException("the directory sync's job must be named " + JOB);
        }
        this.ldap = ldap;
        this.audit = audit;
        this.jobs = jobs;
        this.job = job;
    }

    public Answer get(Caller caller, AdminRequest request) throws ApiException {
        return Answer.ok(ldap.view().orElseThrow(ApiException::notFound));
    }

    public Answer put(Caller caller, AdminRequest request) throws ValidationException, IOException {
        LdapSyncSettings in = request.body(LdapSyncSettings.class);
        List<Problem.FieldError> errors = new ArrayList<>(DirectorySyncRules.check(in));
        if (in.connectorGroup() != null && !in.connectorGroup().isBlank() && ldap.connectorGroupId(in.connectorGroup().strip()).isEmpty()) {
            errors.add(new Problem.FieldError("connectorGroup", "connectorGroup '" + in.connectorGroup()
                    + "' is not a connector group; name an existing group (or leave it empty to connect directly)"));
        }
        ldap.destinationChange(in).ifPresent(why -> errors.add(new Problem.FieldError("bindPassword", why)));
        ldap.plainThroughConnector(in).ifPresent(why -> errors.add(new Problem.FieldError("url", why)));
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        LdapSyncSettings before = ldap.view().orElse(null);
        ldap.save(in);
        audit.record(caller.subject(), "directory-sync.update", "directory-sync", "ldap", before, ldap.view().orElse(null));
        return Answer.ok(ldap.view().orElseThrow());
    }

    public Answer run(Caller caller, AdminRequest request) throws ApiException {
        if (ldap.view().isEmpty()) {
            throw new ApiException(409, "Not configured", "configure directory sync first (PUT /api/v1/directory-sync)");
        }
        try {
            DirectorySyncResult result = jobs.runNow(job, ldap::run).orElseThrow(() -> new ApiException(409, "Directory sync running",
                    "a directory sync is running right now" + jobs.holder(JOB).map(h -> " on node " + h).orElse("")
                            + "; try again when it has finished"));
            audit.record(caller.subject(), "directory-sync.run", "directory-sync", "ldap", null, result);
            return Answer.ok(result);
        } catch (LDAPException e) {
            String detail = e.getDiagnosticMessage() == null ? e.getMessage() : e.getDiagnosticMessage();
            throw new ApiException(502, "Directory sync failed", (e.getResultCode() == ResultCode.CONNECT_ERROR
                    ? "cannot reach LDAP" : "LDAP answered " + e.getResultCode()) + (detail == null ? "" : ": " + detail));
        } catch (ClusterJobs.LeaseUnavailable e) {
            throw new ApiException(503, "Database unavailable", "cannot reach the database to take the directory sync's lease; try again");
        }
    }
}
