/**
 * Native OAuth clients, a tab of Applications: the registered public clients (PKCE) the token issuer answers, their
 * redirect URIs, grants and apps; register, change and delete them, checked with shared-model's rules first.
 */
package dev.drawbridge.console.oauthclients;
