/**
 * Custom domains ({@code /api/v1/domains}): the names outside the server's domain that apps may be published on, the
 * DNS record each needs (a CNAME to the server's name), and its certificate (uploaded, or issued for a key and CSR that
 * Drawbridge creates).
 */
package dev.drawbridge.proxy.domains;
