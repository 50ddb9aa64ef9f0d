package dev.drawbridge.model.api;

/** Connector → server at registration: the one-time token, a PEM CSR, and who the connector is. */
public record RegistrationRequest(String token, String csrPem, String hostName, String version) {
}
