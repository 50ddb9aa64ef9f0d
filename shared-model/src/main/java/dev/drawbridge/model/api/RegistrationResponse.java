package dev.drawbridge.model.api;

/**
 * Server → connector after registration.
 *
 * @param connectorId    the connector's id (also its certificate's subject CN)
 * @param certificatePem the connector's client certificate, signed by the connector CA
 * @param serverCaPem    the CA that signs the server's TLS certificates, to trust for the tunnel
 * @param tunnelUrl      wss:// URL of the tunnel endpoint (mutual TLS)
 * @param updateKeyJwk   the public key (JWK, JSON) that signs update manifests: the connector pins it and installs only
 *                       bundles whose manifest it signed (docs/updates.md)
 */
public record RegistrationResponse(String connectorId, String connectorGroupId, String certificatePem,
                                   String serverCaPem, String tunnelUrl, String updateKeyJwk) {
}
