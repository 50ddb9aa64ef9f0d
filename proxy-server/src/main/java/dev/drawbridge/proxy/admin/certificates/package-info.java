/**
 * Certificates in the admin API: {@code /certificates}, app certificates for custom domains (never for the server's own
 * hosts), and {@code /server-certificate}, the sign-in host's certificate that only global administrators set. Keys go in,
 * never out; the audit log keeps the certificates' views only.
 */
package dev.drawbridge.proxy.admin.certificates;
