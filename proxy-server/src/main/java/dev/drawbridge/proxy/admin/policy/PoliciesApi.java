package dev.drawbridge.proxy.admin.policy;

import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.validation.Names;
import dev.drawbridge.proxy.admin.operation.AdminRequest;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.policy.PolicyStore;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.web.ValidationException;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * {@code /policies}: conditional access policies. Every problem of a policy is reported at once, each naming its field:
 * a state and a control, someone to apply to, locations that exist (or TRUSTED / UNTRUSTED), a readable time window.
 */
public final class PoliciesApi {
    private final PolicyStore store;
    private final AuditLog audit;

    public PoliciesApi(PolicyStore store, AuditLog audit) {
        this.store = store;
        this.audit = audit;
    }

    public Answer list(Caller caller, AdminRequest request) {
        return Answer.ok(store.policies());
    }

    public Answer create(Caller caller, AdminRequest request) throws ValidationException, ConflictException, IOException {
        return Answer.created(save(caller, UUID.randomUUID().toString(), request.body(AccessPolicy.class)));
    }

    public Answer get(Caller caller, AdminRequest request) throws ApiException {
        return Answer.ok(find(request));
    }

    public Answer replace(Caller caller, AdminRequest request) throws ApiException, ValidationException, ConflictException, IOException {
        return Answer.ok(save(caller, find(request).id(), request.body(AccessPolicy.class)));
    }

    public Answer delete(Caller caller, AdminRequest request) throws ApiException {
        AccessPolicy before = find(request);
        store.deletePolicy(before.id());
        audit.record(caller.subject(), "policy.delete", "policy", before.id(), before, null);
        return Answer.noContent();
    }

    private AccessPolicy find(AdminRequest request) throws ApiException {
        return store.policy(request.path("id")).orElseThrow(ApiException::notFound);
    }

    private AccessPolicy save(Caller caller, String id, AccessPolicy in) throws ValidationException, ConflictException {
        List<Problem.FieldError> errors = new ArrayList<>();
        Names.required("name", in.name(), Names.MAX).ifPresent(errors::add);
        if (in.state() == null) {
            errors.add(new Problem.FieldError("state", "state is required: ON, REPORT_ONLY or OFF"));
        }
        if (in.control() == null) {
            errors.add(new Problem.FieldError("control", "control is required: BLOCK or REQUIRE_MFA"));
        }
        if (in.users().isEmpty()) {
            errors.add(new Problem.FieldError("users", "users is required: [\"ALL\"] or user/group ids and names"));
        }
        for (String field : List.of("locations", "excludeLocations")) {
            List<String> refs = field.equals("locations") ? in.locations() : in.excludeLocations();
            for (String ref : refs) {
                if (!ref.equals("TRUSTED") && !ref.equals("UNTRUSTED") && store.location(ref).isEmpty()) {
                    errors.add(new Problem.FieldError(field, "'" + ref + "' is neither a named location id nor TRUSTED / UNTRUSTED"));
                }
            }
        }
        if (in.time() != null) {
            timeWindow(in.time(), errors);
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        AccessPolicy saved = new AccessPolicy(id, in.name().strip(), in.state(), in.apps(), in.users(), in.excludeUsers(), in.locations(),
                in.excludeLocations(), in.clientTypes(), in.time(), in.control());
        AccessPolicy before = store.policy(id).orElse(null);
        store.savePolicy(saved);
        audit.record(caller.subject(), before == null ? "policy.create" : "policy.update", "policy", id, before, saved);
        return saved;
    }

    private static void timeWindow(AccessPolicy.TimeWindow t, List<Problem.FieldError> errors) {
        try {
            LocalTime.parse(t.start() == null ? "" : t.start());
            LocalTime.parse(t.end() == null ? "" : t.end());
        } catch (DateTimeException e) {
            errors.add(new Problem.FieldError("time", "start and end must be times like 08:00 and 18:30"));
        }
        try {
            if (t.zone() != null && !t.zone().isBlank()) {
                ZoneId.of(t.zone());
            }
        } catch (DateTimeException e) {
            errors.add(new Problem.FieldError("time", "zone '" + t.zone() + "' is not a time zone such as Europe/Zurich"));
        }
        for (String d : t.days()) {
            try {
                DayOfWeek.valueOf(d.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.add(new Problem.FieldError("time", "'" + d + "' is not a day such as MONDAY"));
            }
        }
    }
}
