package dev.drawbridge.proxy.admin;

import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.RolesBody;
import dev.drawbridge.proxy.admin.operation.AdminRequest;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.web.ValidationException;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * {@code /users/{id}/roles}: a user's admin roles. Setting them is a role change {@link UserGuard} allowed first (never
 * one's own, only roles the caller may grant, on a user the caller manages); the store then keeps an enabled global
 * administrator in its own transaction (409 otherwise). Audit-logged as {@code user.roles}.
 */
public final class RolesApi {
    private final DirectoryStore users;
    private final AdminRoleStore roles;
    private final Clock clock;
    private final AuditLog audit;

    public RolesApi(DirectoryStore users, AdminRoleStore roles, Clock clock, AuditLog audit) {
        this.users = users;
        this.roles = roles;
        this.clock = clock;
        this.audit = audit;
    }

    public Answer get(Caller caller, AdminRequest request) throws ApiException {
        return Answer.ok(new RolesBody(roles.roles(find(request).id())));
    }

    public Answer set(Caller caller, AdminRequest request) throws ApiException, ValidationException, IOException {
        DirectoryUser user = find(request);
        RolesBody before = new RolesBody(roles.roles(user.id()));
        Set<AdminRole> wanted = UserGuard.requestedRoles(request.body(RolesBody.class));
        try {
            roles.setRolesKeepingAGlobalAdministrator(user.id(), wanted, clock.instant());
        } catch (AdminRoleStore.LastGlobalAdministratorException e) {
            throw new ApiException(new Problem(UserGuard.LAST_GLOBAL_ADMIN, "Last global administrator", 409,
                    user.upn() + " is the last enabled global administrator and cannot be demoted; make another user a global administrator first",
                    List.of()));
        }
        RolesBody after = new RolesBody(roles.roles(user.id()));
        audit.record(caller.subject(), "user.roles", "user", user.id(), before, after);
        return Answer.ok(after);
    }

    private DirectoryUser find(AdminRequest request) throws ApiException {
        return users.user(request.path("id")).orElseThrow(ApiException::notFound);
    }
}
