package dev.drawbridge.model.api;

import java.time.Instant;
import java.util.List;

/**
 * A certificate as {@code /certificates} and {@code /server-certificate} show it; its private key never leaves the
 * server.
 *
 * @param hosts    the DNS names it covers (subjectAltName, wildcards as {@code *.example.com})
 * @param daysLeft whole days until {@code notAfter}, negative once expired
 */
public record CertificateView(String id, List<String> hosts, String subject, String issuer, Instant notBefore, Instant notAfter,
                              String fingerprintSha256, Instant createdAt, long daysLeft) {
    public CertificateView {
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
    }
}
