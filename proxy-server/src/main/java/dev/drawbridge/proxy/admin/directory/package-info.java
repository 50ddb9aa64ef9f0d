/**
 * The directory in the admin API: {@code /users} (create, delete, password and MFA resets, sessions, disable/enable),
 * {@code /groups} and their members, {@code /access-requests}, {@code /directory-sync} (LDAP / Active Directory) and
 * {@code /identity-providers/oidc} (federation). Operations that change a user run only after the admin plane's
 * target-aware check ({@code UserGuard}); admin roles themselves are the plane's ({@code RolesApi}).
 */
package dev.drawbridge.proxy.admin.directory;
