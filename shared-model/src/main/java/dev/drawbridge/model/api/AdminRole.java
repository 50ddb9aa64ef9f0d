package dev.drawbridge.model.api;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;

/**
 * Administrative roles, after Entra's built-in roles. Each grants a fixed set of {@link Permission}s; a caller
 * with several roles holds the union. The bootstrap admin credential is a {@link #GLOBAL_ADMINISTRATOR}.
 *
 * <p>Permissions say which operations a role may call; {@link #manages()} says on whom. An operation that changes
 * a user (password or MFA reset, session revocation, disable, enable, delete, roles, group membership) is allowed
 * only when every role the target user holds is one the caller's roles manage, as in Entra's "who can reset
 * passwords" rule: a helpdesk administrator manages users without an admin role and other helpdesk
 * administrators; only a global administrator manages any other administrator.
 */
public enum AdminRole {
    /** Everything, including role assignment and the certificate of the server's sign-in host. */
    GLOBAL_ADMINISTRATOR(EnumSet.allOf(Permission.class)),
    /**
     * Apps, assignments, native OAuth clients (Entra's app registrations), proxy settings (connector groups,
     * certificates), connectors; reads users, groups and logs.
     */
    APPLICATION_ADMINISTRATOR(EnumSet.of(Permission.APPS_READ, Permission.APPS_WRITE, Permission.ASSIGNMENTS_WRITE,
            Permission.OAUTH_CLIENTS_READ, Permission.OAUTH_CLIENTS_WRITE, Permission.PROXY_SETTINGS_WRITE, Permission.CONNECTORS_READ,
                    Permission.CONNECTORS_WRITE,
            Permission.CERTIFICATES_READ, Permission.CERTIFICATES_WRITE, Permission.DIRECTORY_READ,
            Permission.POLICIES_READ, Permission.LOGS_READ, Permission.ACCESS_REQUESTS_DECIDE)),
    /** As application administrator, without proxy settings and without connectors. */
    CLOUD_APPLICATION_ADMINISTRATOR(EnumSet.of(Permission.APPS_READ, Permission.APPS_WRITE, Permission.ASSIGNMENTS_WRITE,
            Permission.OAUTH_CLIENTS_READ, Permission.OAUTH_CLIENTS_WRITE,
            Permission.CERTIFICATES_READ, Permission.DIRECTORY_READ, Permission.POLICIES_READ, Permission.LOGS_READ,
            Permission.ACCESS_REQUESTS_DECIDE)),
    /** Password resets, session revocation, MFA reset; reads users and groups. */
    HELPDESK_ADMINISTRATOR(EnumSet.of(Permission.DIRECTORY_READ, Permission.USERS_RESET_PASSWORD,
            Permission.USERS_REVOKE_SESSIONS)),
    /** Reads logs and settings; changes nothing. */
    SECURITY_READER(EnumSet.of(Permission.APPS_READ, Permission.OAUTH_CLIENTS_READ, Permission.CONNECTORS_READ, Permission.CERTIFICATES_READ,
            Permission.DIRECTORY_READ, Permission.POLICIES_READ, Permission.LOGS_READ));

    private final Set<Permission> permissions;

    AdminRole(Set<Permission> permissions) {
        this.permissions = Set.copyOf(permissions);
    }

    public Set<Permission> permissions() {
        return permissions;
    }

    /**
     * The roles whose holders a holder of this role may change (besides users without any admin role). Stricter
     * than Entra for readers: Entra lets a helpdesk administrator reset some reader roles, here a security reader
     * is managed by global administrators only.
     */
    public Set<AdminRole> manages() {
        return switch (this) {
            case GLOBAL_ADMINISTRATOR -> EnumSet.allOf(AdminRole.class);
            case HELPDESK_ADMINISTRATOR -> EnumSet.of(HELPDESK_ADMINISTRATOR);
            case APPLICATION_ADMINISTRATOR, CLOUD_APPLICATION_ADMINISTRATOR, SECURITY_READER -> EnumSet.noneOf(AdminRole.class);
        };
    }

    /** Whether a caller holding {@code callerRoles} may change a user holding {@code targetRoles} (none: any caller). */
    public static boolean mayManage(Collection<AdminRole> callerRoles, Collection<AdminRole> targetRoles) {
        EnumSet<AdminRole> managed = EnumSet.noneOf(AdminRole.class);
        callerRoles.forEach(r -> managed.addAll(r.manages()));
        return managed.containsAll(targetRoles);
    }

    /**
     * Whether a caller holding {@code callerRoles} may grant or remove {@code role}: only a role it manages and whose
     * every permission it holds itself, so no role can hand out more than it has.
     */
    public static boolean mayGrant(Collection<AdminRole> callerRoles, AdminRole role) {
        return mayManage(callerRoles, Set.of(role)) && permissionsOf(callerRoles).containsAll(role.permissions);
    }

    /** The union of the roles' permissions. */
    public static Set<Permission> permissionsOf(Iterable<AdminRole> roles) {
        EnumSet<Permission> all = EnumSet.noneOf(Permission.class);
        roles.forEach(r -> all.addAll(r.permissions));
        return all;
    }

    /**
     * What an admin API caller may do; every endpoint requires exactly one. {@code CERTIFICATES_WRITE} covers app
     * (custom-domain) certificates, which are never served for the server's own hosts;
     * {@code SERVER_CERTIFICATES_WRITE} (global administrators only) covers the sign-in host's certificate.
     * {@code OAUTH_CLIENTS_READ} / {@code OAUTH_CLIENTS_WRITE} cover the registered native OAuth clients, which Entra
     * calls app registrations: managed by (cloud) application administrators, read by security readers.
     */
    public enum Permission {
        APPS_READ, APPS_WRITE, ASSIGNMENTS_WRITE, PROXY_SETTINGS_WRITE, CONNECTORS_READ, CONNECTORS_WRITE,
        CERTIFICATES_READ, CERTIFICATES_WRITE, SERVER_CERTIFICATES_WRITE, DIRECTORY_READ, DIRECTORY_WRITE, USERS_RESET_PASSWORD,
        USERS_REVOKE_SESSIONS, ROLES_WRITE, POLICIES_READ, POLICIES_WRITE, LOGS_READ, ACCESS_REQUESTS_DECIDE, OAUTH_CLIENTS_READ,
        OAUTH_CLIENTS_WRITE,
        /** Uploading and deleting connector update bundles: code every connector will run, so global administrators only. */
        CONNECTOR_UPDATES_WRITE,
        /**
         * Adding and removing custom domains and their certificates (a CSR's key, the issued certificate): which names the
         * server answers for and may publish apps on, so global administrators only.
         */
        DOMAINS_WRITE,
        /**
         * Rotating the server's signing keys (sessions, admin and OAuth tokens, users' identities for connectors): a change
         * to every node's and every connector's keys, so global administrators only.
         */
        SIGNING_KEYS_ROTATE
    }
}
