package dev.drawbridge.proxy.admin.policy;

import dev.drawbridge.model.api.NamedLocation;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.validation.Names;
import dev.drawbridge.proxy.admin.operation.AdminRequest;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.policy.ConditionalAccess;
import dev.drawbridge.proxy.policy.PolicyStore;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.web.ValidationException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** {@code /named-locations}: named IP ranges (CIDRs), trusted or not, that policies include or exclude. */
public final class NamedLocationsApi {
    private final PolicyStore store;
    private final AuditLog audit;

    public NamedLocationsApi(PolicyStore store, AuditLog audit) {
        this.store = store;
        this.audit = audit;
    }

    public Answer list(Caller caller, AdminRequest request) {
        return Answer.ok(store.locations());
    }

    public Answer create(Caller caller, AdminRequest request) throws ValidationException, ConflictException, IOException {
        return Answer.created(save(caller, UUID.randomUUID().toString(), request.body(NamedLocation.class)));
    }

    public Answer get(Caller caller, AdminRequest request) throws ApiException {
        return Answer.ok(find(request));
    }

    public Answer replace(Caller caller, AdminRequest request) throws ApiException, ValidationException, ConflictException, IOException {
        return Answer.ok(save(caller, find(request).id(), request.body(NamedLocation.class)));
    }

    /** A location a policy still names is a 409. */
    public Answer delete(Caller caller, AdminRequest request) throws ApiException, ConflictException {
        NamedLocation before = find(request);
        // Deleted first: a location a policy still names stays (409), and the audit log records only what happened.
        store.deleteLocation(before.id());
        audit.record(caller.subject(), "named-location.delete", "named-location", before.id(), before, null);
        return Answer.noContent();
    }

    private NamedLocation find(AdminRequest request) throws ApiException {
        return store.location(request.path("id")).orElseThrow(ApiException::notFound);
    }

    private NamedLocation save(Caller caller, String id, NamedLocation in) throws ValidationException, ConflictException {
        List<Problem.FieldError> errors = new ArrayList<>();
        Names.required("name", in.name(), Names.MAX).ifPresent(errors::add);
        if (in.cidrs().isEmpty()) {
            errors.add(new Problem.FieldError("cidrs", "at least one IP range is required"));
        }
        in.cidrs().forEach(c -> ConditionalAccess.cidrProblem(c).ifPresent(p -> errors.add(new Problem.FieldError("cidrs", p))));
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        NamedLocation saved = new NamedLocation(id, in.name().strip(), in.trusted(), in.cidrs().stream().map(String::strip).toList());
        NamedLocation before = store.location(id).orElse(null);
        store.saveLocation(saved);
        audit.record(caller.subject(), before == null ? "named-location.create" : "named-location.update", "named-location", id, before, saved);
        return saved;
    }
}
