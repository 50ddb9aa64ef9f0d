/** Certificates for custom domains: expiry, upload, delete. */
package dev.drawbridge.console.certificates;
