/**
 * What an admin API operation is given and gives back, whatever its resource: the authenticated {@link
 * dev.drawbridge.proxy.admin.operation.Caller} (always a parameter, never ambient), the {@link
 * dev.drawbridge.proxy.admin.operation.AdminRequest} (path and query parameters, the body), and an {@link
 * dev.drawbridge.proxy.admin.operation.Answer} or an {@link dev.drawbridge.proxy.admin.operation.ApiException}. The
 * resource packages ({@code admin.apps}, {@code admin.connectors}, ...) depend on this package only; the admin plane
 * ({@code dev.drawbridge.proxy.admin}) routes, authorizes and dispatches to them.
 */
package dev.drawbridge.proxy.admin.operation;
