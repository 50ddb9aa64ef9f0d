package dev.drawbridge.proxy.admin.directory;

import dev.drawbridge.model.api.AccessRequestStatus;
import dev.drawbridge.model.api.AccessRequestView;
import dev.drawbridge.proxy.admin.operation.AdminRequest;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.apps.Routes;
import dev.drawbridge.proxy.identity.AccessRequests;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.logs.AuditLog;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code /access-requests}: users' requests for access to an app ({@code ?status=} PENDING, APPROVED or DENIED, in any
 * case). Approving assigns the user; a request is decided once (409 after that). The decider is the caller.
 */
public final class AccessRequestsApi {
    private final AccessRequests requests;
    private final Routes routes;
    private final DirectoryStore store;
    private final AuditLog audit;

    public AccessRequestsApi(AccessRequests requests, Routes routes, DirectoryStore store, AuditLog audit) {
        this.requests = requests;
        this.routes = routes;
        this.store = store;
        this.audit = audit;
    }

    /** An unknown {@code status} matches no request (as it always did): an empty list, not an error. */
    public Answer list(Caller caller, AdminRequest request) {
        Optional<String> asked = request.query("status");
        Optional<AccessRequestStatus> status = asked.flatMap(s -> Arrays.stream(AccessRequestStatus.values())
                .filter(v -> v.name().equalsIgnoreCase(s)).findFirst());
        if (asked.isPresent() && status.isEmpty()) {
            return Answer.ok(List.of());
        }
        return Answer.ok(requests.all(status).stream().map(this::view).toList());
    }

    public Answer approve(Caller caller, AdminRequest request) throws ApiException {
        return decide(caller, request, true);
    }

    public Answer deny(Caller caller, AdminRequest request) throws ApiException {
        return decide(caller, request, false);
    }

    private Answer decide(Caller caller, AdminRequest request, boolean approve) throws ApiException {
        AccessRequests.Request r = requests.find(request.path("id")).orElseThrow(ApiException::notFound);
        AccessRequestView before = view(r);
        if (!requests.decide(r.id(), approve, caller.subject())) {
            throw new ApiException(409, "Conflict", "the request was already " + r.status().name().toLowerCase(Locale.ROOT));
        }
        AccessRequestView after = view(requests.find(r.id()).orElseThrow());
        audit.record(caller.subject(), "access-request." + (approve ? "approve" : "deny"), "access-request", r.id(), before, after);
        return Answer.ok(after);
    }

    private AccessRequestView view(AccessRequests.Request r) {
        String appName = routes.get().apps().stream().filter(a -> a.id().equals(r.appId())).map(a -> a.name()).findFirst().orElse("?");
        return new AccessRequestView(r.id(), r.appId(), appName, r.userId(), store.user(r.userId()).map(DirectoryUser::upn).orElse("?"),
                r.reason(), r.status(), r.createdAt(), r.decidedAt().orElse(null), r.decidedBy().orElse(null));
    }
}
