package dev.drawbridge.proxy.admin.operation;

import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.MeView;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who calls an admin API operation: passed to every operation as a parameter, for its decisions (may this caller change
 * proxy settings?) and the audit log's actor.
 *
 * @param subject the audit-log actor: the admin's user principal name, or {@code "admin"} for the bootstrap credential
 * @param userId  the directory user, absent for the bootstrap credential
 */
public record Caller(String subject, Optional<String> userId, String displayName, List<AdminRole> roles) {
    /** The bootstrap credential printed at first start: a global administrator. */
    public static final Caller BOOTSTRAP = new Caller("admin", Optional.empty(), "Bootstrap administrator",
            List.of(AdminRole.GLOBAL_ADMINISTRATOR));

    /** The caller of the one operation that needs no bearer token, the admin sign-in ({@code POST /auth/token}): no role. */
    public static final Caller ANONYMOUS = new Caller("anonymous", Optional.empty(), "Not signed in", List.of());

    public Caller {
        roles = List.copyOf(roles);
    }

    public Set<AdminRole.Permission> permissions() {
        return AdminRole.permissionsOf(roles);
    }

    /** Whether the caller's roles grant {@code p}; {@code null} (any admin) asks whether the caller holds a role at all. */
    public boolean may(AdminRole.Permission p) {
        return p == null ? !roles.isEmpty() : permissions().contains(p);
    }

    public MeView view() {
        return new MeView(subject, displayName, roles, permissions());
    }
}
