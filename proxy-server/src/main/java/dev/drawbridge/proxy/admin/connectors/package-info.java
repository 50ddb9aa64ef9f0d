/**
 * Connectors in the admin API: {@code /connector-groups}, {@code /connectors} (status, revoke, move) and
 * {@code /registration-tokens} (the one-time tokens and install command that register a new connector).
 */
package dev.drawbridge.proxy.admin.connectors;
