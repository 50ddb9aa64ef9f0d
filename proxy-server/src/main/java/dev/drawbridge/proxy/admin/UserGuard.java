package dev.drawbridge.proxy.admin;

import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.RolesBody;
import dev.drawbridge.proxy.admin.directory.DirectoryViews;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.web.JsonBody;
import dev.drawbridge.proxy.web.ValidationException;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The target-aware step of admin API authorization. After the caller's permission for an operation is checked,
 * every operation the route table marks as changing a user ({@link UserTarget}) comes here: the target is resolved
 * (from the path or the JSON body), its roles are read fresh, and the operation runs only if
 * <ol>
 *   <li>it is not one a caller may not do to their own account ({@link UserOperation#onSelf()});</li>
 *   <li>every role the target holds is one the caller's roles manage ({@link AdminRole#mayManage});</li>
 *   <li>for a role change, every role granted or removed is one the caller may grant ({@link AdminRole#mayGrant});</li>
 *   <li>it does not take away the last enabled global administrator (409), checked and done under one lock for the
 *   whole cluster, so that two nodes taking away the last two at once cannot both succeed.</li>
 * </ol>
 * A refusal is a problem document, logged at WARN and written to the audit log as {@code access.denied}.
 */
final class UserGuard {
    private static final Logger LOG = LoggerFactory.getLogger(UserGuard.class);
    static final String FORBIDDEN = "https://drawbridge.dev/problems/forbidden";
    static final String LAST_GLOBAL_ADMIN = "https://drawbridge.dev/problems/last-global-administrator";

    private final DirectoryStore users;
    private final AdminRoleStore roles;
    private final AuditLog audit;
    /**
     * Held from the check to the end of an operation that may take a global administrator away, on this node; the
     * database's lock ({@link AdminRoleStore#exclusively}) does the same across nodes.
     */
    private final ReentrantLock globalAdminChanges = new ReentrantLock();

    /** The operation, given the request to read (with its body replayed when the guard had to read it). */
    @FunctionalInterface
    interface Operation {
        void run(Request request) throws Exception;
    }

    UserGuard(DirectoryStore users, AdminRoleStore roles, AuditLog audit) {
        this.users = users;
        this.roles = roles;
        this.audit = audit;
    }

    /** Runs {@code operation} if {@code caller} may do it to the user {@code route} targets; otherwise throws the refusal. */
    void run(Caller caller, AdminRoutes.Route route, String[] seg, Request request, Operation operation) throws Exception {
        switch (route.target()) {
            case UserTarget.None n -> operation.run(request);
            case UserTarget.InPath p -> {
                ReplayedBody body = p.operation() == UserOperation.ROLE_CHANGE ? ReplayedBody.read(request) : null;
                Optional<Set<AdminRole>> newRoles = body == null ? Optional.empty()
                        : Optional.of(requestedRoles(JsonBody.read(body.request(), RolesBody.class)));
                guarded(caller, route, p.operation(), users.user(seg[p.segment()]), newRoles, request,
                        () -> operation.run(body == null ? request : body.request()));
            }
            case UserTarget.InBody b -> {
                ReplayedBody body = ReplayedBody.read(request);
                Object parsed = JsonBody.read(body.request(), route.request());
                guarded(caller, route, b.operation(), DirectoryViews.lookup(users, b.key().apply(parsed)), Optional.empty(), request,
                        () -> operation.run(body.request()));
            }
        }
    }

    /** The roles a role-change body asks for, or the field error the operation itself would answer. */
    static Set<AdminRole> requestedRoles(RolesBody body) throws ValidationException {
        if (body.roles() == null || body.roles().contains(null)) {
            throw new ValidationException("roles", "roles must be a list of " + Arrays.toString(AdminRole.values()));
        }
        return body.roles().isEmpty() ? EnumSet.noneOf(AdminRole.class) : EnumSet.copyOf(body.roles());
    }

    private interface Body {
        void run() throws Exception;
    }

    private void guarded(Caller caller, AdminRoutes.Route route, UserOperation op, Optional<DirectoryUser> target,
                         Optional<Set<AdminRole>> newRoles, Request request, Body body) throws Exception {
        if (target.isEmpty()) {
            body.run(); // the operation answers 404 (or 400 for a body naming nobody) by itself
            return;
        }
        if (!op.mayRemoveGlobalAdmin()) {
            checkThenRun(caller, route, op, target.get().id(), newRoles, request, body);
            return;
        }
        // This node's changes queue here; the cluster's (every node's) at the database's lock, where the target is read
        // again: a change another node made while this one waited is seen before deciding.
        globalAdminChanges.lock();
        try {
            roles.exclusively(() -> checkThenRun(caller, route, op, target.get().id(), newRoles, request, body));
        } finally {
            globalAdminChanges.unlock();
        }
    }

    private void checkThenRun(Caller caller, AdminRoutes.Route route, UserOperation op, String userId,
                              Optional<Set<AdminRole>> newRoles, Request request, Body body) throws Exception {
        Optional<DirectoryUser> fresh = users.user(userId);
        if (fresh.isEmpty()) {
            body.run(); // deleted meanwhile: the operation answers 404 by itself
            return;
        }
        DirectoryUser user = fresh.get();
        List<AdminRole> held = roles.roles(user.id());
        Optional<ApiException> refusal = refusal(caller, op, user, held, newRoles);
        if (refusal.isPresent()) {
            record(caller, route, op, user, held, request, refusal.get());
            throw refusal.get();
        }
        body.run();
    }

    private Optional<ApiException> refusal(Caller caller, UserOperation op, DirectoryUser user, List<AdminRole> held,
                                           Optional<Set<AdminRole>> newRoles) {
        if (caller.userId().filter(user.id()::equals).isPresent() && !op.onSelf()) {
            return Optional.of(forbidden("you may not " + op.verb() + " your own account; ask another administrator"
                    + (op == UserOperation.PASSWORD_RESET ? " (or change it at the sign-in page)" : "")));
        }
        if (!AdminRole.mayManage(caller.roles(), held)) {
            return Optional.of(forbidden("your roles " + caller.roles() + " may not " + op.verb() + " " + user.upn() + ", who holds "
                    + held + ": a helpdesk administrator manages only users without an admin role and other helpdesk "
                    + "administrators; every other administrator is managed by a global administrator"));
        }
        if (newRoles.isPresent()) {
            EnumSet<AdminRole> changed = EnumSet.noneOf(AdminRole.class);
            changed.addAll(newRoles.get());
            changed.addAll(held);
            changed.removeIf(r -> newRoles.get().contains(r) && held.contains(r));
            List<AdminRole> notYours = changed.stream().filter(r -> !AdminRole.mayGrant(caller.roles(), r)).toList();
            if (!notYours.isEmpty()) {
                return Optional.of(forbidden("your roles " + caller.roles() + " may not grant or remove " + notYours));
            }
        }
        boolean loses = switch (op) {
            case ROLE_CHANGE -> newRoles.map(r -> !r.contains(AdminRole.GLOBAL_ADMINISTRATOR)).orElse(true);
            case DISABLE, DELETE -> true;
            default -> false;
        };
        if (loses && user.enabled() && held.contains(AdminRole.GLOBAL_ADMINISTRATOR)
                && roles.enabledHolders(AdminRole.GLOBAL_ADMINISTRATOR).stream().allMatch(user.id()::equals)) {
            return Optional.of(new ApiException(new Problem(LAST_GLOBAL_ADMIN, "Last global administrator", 409,
                    user.upn() + " is the last enabled global administrator and cannot be " + switch (op) {
                        case DISABLE -> "disabled";
                        case DELETE -> "deleted";
                        default -> "demoted";
                    } + "; make another user a global administrator first", List.of())));
        }
        return Optional.empty();
    }

    private static ApiException forbidden(String detail) {
        return new ApiException(new Problem(FORBIDDEN, "Forbidden", 403, detail, List.of()));
    }

    private void record(Caller caller, AdminRoutes.Route route, UserOperation op, DirectoryUser user, List<AdminRole> held,
                        Request request, ApiException refusal) {
        LOG.warn("admin API: {} refused {} {} on user {} ({}): {}", caller.subject(), request.getMethod(), route.template(),
                user.id(), op, refusal.problem().detail());
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("method", request.getMethod());
        detail.put("path", Request.getPathInContext(request));
        detail.put("operation", op.name());
        detail.put("status", refusal.problem().status());
        detail.put("reason", refusal.problem().detail());
        detail.put("roles", caller.roles());
        detail.put("targetRoles", held);
        audit.record(caller.subject(), "access.denied", "user", user.id(), null, detail);
    }
}
