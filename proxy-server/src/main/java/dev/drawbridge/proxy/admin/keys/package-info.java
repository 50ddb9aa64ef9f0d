/**
 * The server's signing keys in the admin API: {@code GET /keys} shows both sets' keys and their states (never a private
 * part), {@code POST /keys/rotate} rotates them, global administrators only (docs/security.md, "Signing keys and their
 * rotation").
 */
package dev.drawbridge.proxy.admin.keys;
