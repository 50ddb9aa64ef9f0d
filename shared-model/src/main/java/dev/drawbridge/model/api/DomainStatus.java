package dev.drawbridge.model.api;

/** Where a custom domain stands ({@link DomainView#status()}). */
public enum DomainStatus {
    /** No valid certificate covers the domain's hosts, and no certificate signing request is pending. */
    CERTIFICATE_MISSING,
    /** Drawbridge created a key and a certificate signing request; the issued certificate is awaited. */
    CSR_PENDING,
    /** A valid certificate covers every published host of the domain (or the domain and its wildcard, when none is). */
    READY
}
