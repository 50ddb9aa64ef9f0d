package dev.drawbridge.console.api;

import java.time.Instant;
import java.util.List;

/** {@code GET /certificates}: an uploaded certificate for custom domains (the key never leaves the server). */
public record CertificateInfo(String id, List<String> hosts, String subject, String issuer, Instant notBefore,
                              Instant notAfter, String fingerprintSha256) {
    public CertificateInfo {
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
    }
}
