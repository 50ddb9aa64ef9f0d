/**
 * The admin API's logs: {@code /sign-in-logs}, {@code /audit-logs}, {@code /connector-events} (pages, newest first,
 * with filters) and {@code /stats/sign-ins} (the dashboard's hourly counts). Read-only; each needs its read permission.
 */
package dev.drawbridge.proxy.admin.logs;
