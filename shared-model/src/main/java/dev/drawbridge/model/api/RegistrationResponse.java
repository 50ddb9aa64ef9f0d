package dev.drawbridge.model.api;

/**
 * Server → connector after registration.
 *
 * @param connectorId    the connector's id (also its certificate's subject CN)
 * @param certificatePem the connector's client certificate, signed by the connector CA
 * @param serverCaPem    the CA that signs the server's TLS certificates, to trust for the tunnel
 * @param tunnelUrl      wss:// URL of the tunnel endpoint (mutual TLS)
 */
public record RegistrationResponse(String connectorId, String connectorGroupId, String certificatePem,
                                   String serverCaPem, String tunnelUrl) {
}
