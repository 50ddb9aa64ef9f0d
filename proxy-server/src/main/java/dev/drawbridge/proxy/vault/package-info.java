/**
 * Password vaulting (issue 10, HTTP Basic): users' own user names and passwords per app and apps' shared ones, sealed
 * with the server's data key ({@link dev.drawbridge.proxy.vault.VaultStore}), what a request to a {@code BASIC} app
 * carries to the connector or answers instead ({@link dev.drawbridge.proxy.vault.Vault},
 * {@link dev.drawbridge.proxy.vault.PasswordDispatch}). The user's pages are on the sign-in host
 * ({@code signin.PasswordPages}); the shared credential is set through the admin API
 * ({@code admin.apps.SharedCredentialApi}). No password is ever returned, shown, logged or audited.
 */
package dev.drawbridge.proxy.vault;
