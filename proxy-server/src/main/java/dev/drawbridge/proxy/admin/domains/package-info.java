/**
 * Custom domains in the admin API: {@code /domains}, the names apps may be published on beside the server's own domain,
 * with the DNS records to create and their certificates (uploaded, or issued for a CSR the server creates).
 */
package dev.drawbridge.proxy.admin.domains;
