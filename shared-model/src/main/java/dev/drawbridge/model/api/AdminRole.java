package dev.drawbridge.model.api;

import java.util.EnumSet;
import java.util.Set;

/**
 * Administrative roles, after Entra's built-in roles. Each grants a fixed set of {@link Permission}s; a caller
 * with several roles holds the union. The bootstrap admin credential is a {@link #GLOBAL_ADMINISTRATOR}.
 */
public enum AdminRole {
    /** Everything, including role assignment. */
    GLOBAL_ADMINISTRATOR(EnumSet.allOf(Permission.class)),
    /** Apps, assignments, proxy settings (connector groups, certificates), connectors; reads users, groups and logs. */
    APPLICATION_ADMINISTRATOR(EnumSet.of(Permission.APPS_READ, Permission.APPS_WRITE, Permission.ASSIGNMENTS_WRITE,
            Permission.PROXY_SETTINGS_WRITE, Permission.CONNECTORS_READ, Permission.CONNECTORS_WRITE,
            Permission.CERTIFICATES_READ, Permission.CERTIFICATES_WRITE, Permission.DIRECTORY_READ,
            Permission.POLICIES_READ, Permission.LOGS_READ, Permission.ACCESS_REQUESTS_DECIDE)),
    /** As application administrator, without proxy settings and without connectors. */
    CLOUD_APPLICATION_ADMINISTRATOR(EnumSet.of(Permission.APPS_READ, Permission.APPS_WRITE, Permission.ASSIGNMENTS_WRITE,
            Permission.CERTIFICATES_READ, Permission.DIRECTORY_READ, Permission.POLICIES_READ, Permission.LOGS_READ,
            Permission.ACCESS_REQUESTS_DECIDE)),
    /** Password resets, session revocation, MFA reset; reads users and groups. */
    HELPDESK_ADMINISTRATOR(EnumSet.of(Permission.DIRECTORY_READ, Permission.USERS_RESET_PASSWORD,
            Permission.USERS_REVOKE_SESSIONS)),
    /** Reads logs and settings; changes nothing. */
    SECURITY_READER(EnumSet.of(Permission.APPS_READ, Permission.CONNECTORS_READ, Permission.CERTIFICATES_READ,
            Permission.DIRECTORY_READ, Permission.POLICIES_READ, Permission.LOGS_READ));

    private final Set<Permission> permissions;

    AdminRole(Set<Permission> permissions) {
        this.permissions = Set.copyOf(permissions);
    }

    public Set<Permission> permissions() {
        return permissions;
    }

    /** The union of the roles' permissions. */
    public static Set<Permission> permissionsOf(Iterable<AdminRole> roles) {
        EnumSet<Permission> all = EnumSet.noneOf(Permission.class);
        roles.forEach(r -> all.addAll(r.permissions));
        return all;
    }

    /** What an admin API caller may do; every endpoint requires exactly one. */
    public enum Permission {
        APPS_READ, APPS_WRITE, ASSIGNMENTS_WRITE, PROXY_SETTINGS_WRITE, CONNECTORS_READ, CONNECTORS_WRITE,
        CERTIFICATES_READ, CERTIFICATES_WRITE, DIRECTORY_READ, DIRECTORY_WRITE, USERS_RESET_PASSWORD,
        USERS_REVOKE_SESSIONS, ROLES_WRITE, POLICIES_READ, POLICIES_WRITE, LOGS_READ, ACCESS_REQUESTS_DECIDE
    }
}
