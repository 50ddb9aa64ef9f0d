package dev.drawbridge.model.api;

/**
 * Body of {@code POST /connector/v1/renew} on the tunnel port, sent by a connector authenticated with its current client
 * certificate: a CSR (PEM) for a new key pair.
 */
public record RenewalRequest(String csrPem) {
}
