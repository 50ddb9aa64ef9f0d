/**
 * The admin plane: the admin API under {@code /api/v1/} on the admin host. {@link dev.drawbridge.proxy.admin.AdminRoutes}
 * is the one table of operations that authorizes (permission, then {@link dev.drawbridge.proxy.admin.UserGuard} for
 * user-changing operations), dispatches (each row names its handler) and describes the API
 * ({@link dev.drawbridge.proxy.admin.OpenApi}); {@link dev.drawbridge.proxy.admin.AdminApiHandler} runs a request
 * through it. Sign-in and roles live here too ({@link dev.drawbridge.proxy.admin.AdminAuth}, {@code SessionApi},
 * {@code AdminRoleStore}, {@code RolesApi}). The administered resources are one small class each, by feature, in the
 * sub-packages ({@code apps}, {@code connectors}, {@code directory}, {@code policy}, {@code certificates},
 * {@code logs}); they depend only on {@code admin.operation}, never on this package.
 */
package dev.drawbridge.proxy.admin;
