/** Logs: sign-ins, audit, connector events; filters, live follow, CSV export. */
package dev.drawbridge.console.logs;
