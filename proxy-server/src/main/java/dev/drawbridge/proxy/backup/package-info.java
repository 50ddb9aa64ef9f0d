/**
 * Backups of the proxy server's data directory ({@code drawbridge-server backup} and {@code restore}): the key material
 * and a consistent copy of the embedded database, sealed with a passphrase (Argon2id and Tink's streaming AEAD), and the
 * running server's side of it ({@link dev.drawbridge.proxy.backup.LocalControl}, {@link dev.drawbridge.proxy.backup.BackupRoute}).
 * docs/operations.md describes the format and the threat model.
 */
package dev.drawbridge.proxy.backup;
