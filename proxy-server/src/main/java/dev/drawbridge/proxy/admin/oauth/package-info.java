/**
 * Native OAuth clients in the admin API: {@code /oauth-clients}, the public clients (PKCE, no secret) the token issuer
 * answers, with their redirect URIs, grants and apps; every change audit-logged.
 */
package dev.drawbridge.proxy.admin.oauth;
