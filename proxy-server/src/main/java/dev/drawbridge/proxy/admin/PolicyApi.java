package dev.drawbridge.proxy.admin;

import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.NamedLocation;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.validation.Names;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.apps.ValidationException;
import dev.drawbridge.proxy.policy.ConditionalAccess;
import dev.drawbridge.proxy.policy.PolicyStore;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.web.JsonBody;
import dev.drawbridge.proxy.web.Responses;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** {@code /named-locations} and {@code /policies} of the admin API, validated field by field. */
public final class PolicyApi {
    private final PolicyStore store;
    private final dev.drawbridge.proxy.logs.AuditLog audit;

    public PolicyApi(PolicyStore store, dev.drawbridge.proxy.logs.AuditLog audit) {
        this.store = store;
        this.audit = audit;
    }

    void route(String method, String[] seg, Request request, Response response, Callback callback)
            throws ApiException, ValidationException, ConflictException, IOException {
        boolean locations = seg[0].equals("named-locations");
        String id = seg.length > 1 && !seg[1].isEmpty() ? seg[1] : null;
        if (seg.length > 2) {
            throw ApiException.notFound();
        }
        if (id == null) {
            switch (method) {
                case "GET" -> Responses.json(response, callback, 200, locations ? store.locations() : store.policies());
                case "POST" -> Responses.json(response, callback, 201, locations
                        ? saveLocation(UUID.randomUUID().toString(), JsonBody.read(request, NamedLocation.class))
                        : savePolicy(UUID.randomUUID().toString(), JsonBody.read(request, AccessPolicy.class)));
                default -> throw ApiException.notAllowed();
            }
            return;
        }
        boolean exists = locations ? store.location(id).isPresent() : store.policy(id).isPresent();
        if (!exists) {
            throw ApiException.notFound();
        }
        switch (method) {
            case "GET" -> Responses.json(response, callback, 200, locations ? store.location(id).orElseThrow() : store.policy(id).orElseThrow());
            case "PUT" -> Responses.json(response, callback, 200, locations
                    ? saveLocation(id, JsonBody.read(request, NamedLocation.class))
                    : savePolicy(id, JsonBody.read(request, AccessPolicy.class)));
            case "DELETE" -> {
                Object before = locations ? store.location(id).orElseThrow() : store.policy(id).orElseThrow();
                audit.record(AdminApiHandler.actor(), (locations ? "named-location" : "policy") + ".delete",
                        locations ? "named-location" : "policy", id, before, null);
                if (locations) {
                    store.deleteLocation(id);
                } else {
                    store.deletePolicy(id);
                }
                response.setStatus(204);
                response.getHeaders().put(Responses.GENERATED_HEADER, "true");
                callback.succeeded();
            }
            default -> throw ApiException.notAllowed();
        }
    }

    private NamedLocation saveLocation(String id, NamedLocation in) throws ValidationException, ConflictException {
        List<Problem.FieldError> errors = new ArrayList<>();
        requireName(in.name(), errors);
        if (in.cidrs().isEmpty()) {
            errors.add(new Problem.FieldError("cidrs", "at least one IP range is required"));
        }
        in.cidrs().forEach(c -> ConditionalAccess.cidrProblem(c).ifPresent(p -> errors.add(new Problem.FieldError("cidrs", p))));
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        NamedLocation saved = new NamedLocation(id, in.name().strip(), in.trusted(), in.cidrs().stream().map(String::strip).toList());
        Object before = store.location(id).orElse(null);
        store.saveLocation(saved);
        audit.record(AdminApiHandler.actor(), before == null ? "named-location.create" : "named-location.update", "named-location", id,
                before, saved);
        return saved;
    }

    private AccessPolicy savePolicy(String id, AccessPolicy in) throws ValidationException, ConflictException {
        List<Problem.FieldError> errors = new ArrayList<>();
        requireName(in.name(), errors);
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
            AccessPolicy.TimeWindow t = in.time();
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
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        AccessPolicy saved = new AccessPolicy(id, in.name().strip(), in.state(), in.apps(), in.users(), in.excludeUsers(), in.locations(),
                in.excludeLocations(), in.clientTypes(), in.time(), in.control());
        Object before = store.policy(id).orElse(null);
        store.savePolicy(saved);
        audit.record(AdminApiHandler.actor(), before == null ? "policy.create" : "policy.update", "policy", id, before, saved);
        return saved;
    }

    private static void requireName(String name, List<Problem.FieldError> errors) {
        Names.required("name", name, Names.MAX).ifPresent(errors::add);
    }
}
