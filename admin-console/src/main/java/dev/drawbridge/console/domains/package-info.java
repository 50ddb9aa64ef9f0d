/** The Domains screen: custom domains, the DNS record each needs, its CSR to copy and its certificate. */
package dev.drawbridge.console.domains;
