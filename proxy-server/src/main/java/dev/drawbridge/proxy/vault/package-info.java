/**
 * Password vaulting (issue 10, HTTP Basic): users' own user names and passwords per app and apps' shared ones, sealed
 * with the server's data key ({@link dev.drawbridge.proxy.vault.VaultStore}), and what the vault has for a request to a
 * {@code BASIC} app ({@link dev.drawbridge.proxy.vault.Vault}). Dispatch reaches it through
 * {@code sso.PasswordDispatch}; the user's pages are on the sign-in host ({@code signin.PasswordPages}); the shared
 * credential is set through the admin API ({@code admin.apps.SharedCredentialApi}). No password is ever returned,
 * shown, logged or audited. Depends only on apps, pki, store and web, so the sign-in host and dispatch may both use it.
 */
package dev.drawbridge.proxy.vault;
