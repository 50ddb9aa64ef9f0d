package dev.drawbridge.proxy.admin;

import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.MeView;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The authenticated admin API caller.
 *
 * @param subject the audit-log actor: the admin's user principal name, or {@code "admin"} for the bootstrap credential
 * @param userId  the directory user, absent for the bootstrap credential
 */
public record Caller(String subject, Optional<String> userId, String displayName, List<AdminRole> roles) {
    /** The bootstrap credential printed at first start: a global administrator. */
    public static final Caller BOOTSTRAP = new Caller("admin", Optional.empty(), "Bootstrap administrator",
            List.of(AdminRole.GLOBAL_ADMINISTRATOR));

    public Caller {
        roles = List.copyOf(roles);
    }

    public Set<AdminRole.Permission> permissions() {
        return AdminRole.permissionsOf(roles);
    }

    public boolean may(AdminRole.Permission p) {
        return p == null || permissions().contains(p);
    }

    public MeView view() {
        return new MeView(subject, displayName, roles, permissions());
    }
}
