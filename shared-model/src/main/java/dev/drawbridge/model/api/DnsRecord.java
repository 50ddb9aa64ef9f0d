package dev.drawbridge.model.api;

import java.util.Objects;

/**
 * A DNS record the administrator creates for a custom domain, e.g. {@code *.apps.contoso.com. CNAME login.example.com.}:
 * the domain's app hosts then resolve to the server.
 *
 * @param name  the record's name (a host, or a wildcard {@code *.domain})
 * @param type  the record type ({@code CNAME})
 * @param value what it points to: the server's public name
 */
public record DnsRecord(String name, String type, String value) {
    public DnsRecord {
        Objects.requireNonNull(name);
        Objects.requireNonNull(type);
        Objects.requireNonNull(value);
    }
}
