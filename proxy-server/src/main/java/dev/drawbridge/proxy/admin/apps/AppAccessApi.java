package dev.drawbridge.proxy.admin.apps;

import dev.drawbridge.model.api.AssignmentBody;
import dev.drawbridge.model.api.AssignmentView;
import dev.drawbridge.model.api.MemberBody;
import dev.drawbridge.model.api.UserView;
import dev.drawbridge.proxy.admin.directory.DirectoryViews;
import dev.drawbridge.proxy.admin.operation.AdminRequest;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.apps.Routes;
import dev.drawbridge.proxy.identity.AccessRequests;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.web.ValidationException;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Who may use an app ({@code /apps/{id}/assignments}: users and groups, by id, UPN or group name) and who decides its
 * access requests ({@code /apps/{id}/owners}). Both are properties of the app, not changes to the users named, so they
 * need {@code ASSIGNMENTS_WRITE} only, not the target-aware user check.
 */
public final class AppAccessApi {
    private final Routes routes;
    private final DirectoryViews directory;
    private final DirectoryStore store;
    private final AccessRequests requests;
    private final Clock clock;
    private final AuditLog audit;

    public AppAccessApi(Routes routes, DirectoryViews directory, AccessRequests requests, Clock clock, AuditLog audit) {
        this.routes = routes;
        this.directory = directory;
        this.store = directory.store();
        this.requests = requests;
        this.clock = clock;
        this.audit = audit;
    }

    public Answer assignments(Caller caller, AdminRequest request) throws ApiException {
        return Answer.ok(assignmentsOf(appId(request)));
    }

    /** Answers the app's assignments after the new one. */
    public Answer assign(Caller caller, AdminRequest request) throws ApiException, ValidationException, IOException {
        String appId = appId(request);
        AssignmentBody body = request.body(AssignmentBody.class);
        DirectoryStore.PrincipalType type = principalType(body.principalType());
        String principalId = type == DirectoryStore.PrincipalType.USER ? directory.named(body.principal(), "principal").id()
                : store.group(body.principal() == null ? "" : body.principal()).orElseThrow(() ->
                new ValidationException("principal", "no group with id or name '" + body.principal() + "'")).id();
        store.assign(appId, type, principalId, clock.instant());
        audit.record(caller.subject(), "app.assignment.add", "app", appId, null,
                Map.of("principalType", type.name(), "principalId", principalId));
        return Answer.created(assignmentsOf(appId));
    }

    /** {@code DELETE /apps/{id}/assignments/{principalType}/{principalId}}, the type USER or GROUP in any case. */
    public Answer unassign(Caller caller, AdminRequest request) throws ApiException, ValidationException {
        String appId = appId(request);
        String type = request.path("principalType").toUpperCase(Locale.ROOT);
        String principalId = request.path("principalId");
        if (!store.unassign(appId, principalType(type), principalId)) {
            throw ApiException.notFound();
        }
        audit.record(caller.subject(), "app.assignment.remove", "app", appId, Map.of("principalType", type, "principalId", principalId), null);
        return Answer.noContent();
    }

    public Answer owners(Caller caller, AdminRequest request) throws ApiException {
        return Answer.ok(ownersOf(appId(request)));
    }

    /** Answers the app's owners after the new one. */
    public Answer addOwner(Caller caller, AdminRequest request) throws ApiException, ValidationException, IOException {
        String appId = appId(request);
        DirectoryUser u = directory.named(request.body(MemberBody.class).user(), "user");
        requests.addOwner(appId, u.id());
        audit.record(caller.subject(), "app.owner.add", "app", appId, null, Map.of("user", u.upn()));
        return Answer.ok(ownersOf(appId));
    }

    public Answer removeOwner(Caller caller, AdminRequest request) throws ApiException {
        String appId = appId(request);
        String userId = request.path("userId");
        if (!requests.removeOwner(appId, userId)) {
            throw ApiException.notFound();
        }
        audit.record(caller.subject(), "app.owner.remove", "app", appId, Map.of("userId", userId), null);
        return Answer.noContent();
    }

    /** The app's id, once it is known to be published (404 otherwise). */
    private String appId(AdminRequest request) throws ApiException {
        String id = request.path("id");
        if (routes.get().apps().stream().noneMatch(a -> a.id().equals(id))) {
            throw ApiException.notFound();
        }
        return id;
    }

    private List<AssignmentView> assignmentsOf(String appId) {
        return store.assignments(appId).stream().map(directory::assignment).toList();
    }

    private List<UserView> ownersOf(String appId) {
        return requests.owners(appId).stream().map(store::user).flatMap(Optional::stream).map(directory::user).toList();
    }

    private static DirectoryStore.PrincipalType principalType(String s) throws ValidationException {
        try {
            return DirectoryStore.PrincipalType.valueOf(s == null ? "" : s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ValidationException("principalType", "principalType must be USER or GROUP");
        }
    }
}
