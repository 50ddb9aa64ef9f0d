package dev.drawbridge.model.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A custom domain as {@code /domains} shows it.
 *
 * @param name                    the domain, lower case, punycode for names outside ASCII
 * @param status                  whether its hosts have a certificate ({@link DomainStatus})
 * @param dnsRecords              the records to create so that its app hosts reach the server (CNAME to the server's name)
 * @param certificateId           the app certificate uploaded for it here ({@code /certificates/{id}}), "" for none
 * @param csrPem                  the pending certificate signing request (PKCS#10, PEM) to have a CA issue, "" for none
 * @param hostsWithoutCertificate published app hosts on the domain that no valid certificate covers (browsers will refuse them)
 */
public record DomainView(String id, String name, DomainStatus status, List<DnsRecord> dnsRecords, String certificateId, String csrPem,
                         List<String> hostsWithoutCertificate, Instant createdAt) {
    public DomainView {
        Objects.requireNonNull(id);
        Objects.requireNonNull(name);
        Objects.requireNonNull(status);
        dnsRecords = dnsRecords == null ? List.of() : List.copyOf(dnsRecords);
        certificateId = certificateId == null ? "" : certificateId;
        csrPem = csrPem == null ? "" : csrPem;
        hostsWithoutCertificate = hostsWithoutCertificate == null ? List.of() : List.copyOf(hostsWithoutCertificate);
    }
}
