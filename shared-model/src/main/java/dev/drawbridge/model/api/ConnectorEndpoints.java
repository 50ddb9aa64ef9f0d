package dev.drawbridge.model.api;

/**
 * Server → connector, from {@code GET /connector/v1/endpoints} on the admin host: where the server's tunnel
 * listener is now. A registered connector asks at start and whenever its tunnel URL stops answering, so that it
 * follows a server whose tunnel port or host moved; it trusts the answer only over TLS verified against the server
 * CA it stored at registration.
 *
 * @param tunnelUrl wss:// URL of the tunnel endpoint (mutual TLS)
 */
public record ConnectorEndpoints(String tunnelUrl) {
    public ConnectorEndpoints {
        if (tunnelUrl == null || !tunnelUrl.startsWith("wss://")) {
            throw new IllegalArgumentException("tunnelUrl: '" + tunnelUrl + "' is not a wss:// URL");
        }
    }
}
