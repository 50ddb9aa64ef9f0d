package dev.drawbridge.model.api;

/**
 * Body of {@code POST /domains}: a custom domain on which apps may then be published ({@code apps.contoso.com}: its own
 * host, any host under it, and wildcard apps {@code *.apps.contoso.com}). A name in Unicode is stored as punycode.
 */
public record DomainSpec(String name) {
}
