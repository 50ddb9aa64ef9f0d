package dev.drawbridge.model.api;

import java.util.List;

/**
 * Server → connector, from {@code GET /connector/v1/endpoints} on the admin host: where the server's tunnel
 * listener is now. A registered connector asks at start and whenever its tunnel URL stops answering, so that it
 * follows a server whose tunnel port or host moved; it trusts the answer only over TLS verified against the server
 * CA it stored at registration.
 *
 * @param tunnelUrl    wss:// URL of the tunnel endpoint (mutual TLS) of the node that answered
 * @param nodes        the tunnel URLs of every live node of the cluster (docs/scale-out.md), this one among them; empty
 *                     from an older server (the connector then keeps its tunnels to {@code tunnelUrl} only)
 * @param nodesVersion when that list changed, by the database's clock (as {@link dev.drawbridge.model.cluster.ClusterNodes})
 */
public record ConnectorEndpoints(String tunnelUrl, List<String> nodes, long nodesVersion) {
    public ConnectorEndpoints {
        if (tunnelUrl == null || !tunnelUrl.startsWith("wss://")) {
            throw new IllegalArgumentException("tunnelUrl: '" + tunnelUrl + "' is not a wss:// URL");
        }
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }

    /** The answer of a single server that does not speak of nodes (and of older servers, as read). */
    public ConnectorEndpoints(String tunnelUrl) {
        this(tunnelUrl, List.of(), 0);
    }
}
