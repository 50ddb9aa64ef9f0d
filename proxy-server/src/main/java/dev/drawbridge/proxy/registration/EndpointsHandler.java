package dev.drawbridge.proxy.registration;

import dev.drawbridge.model.api.ConnectorEndpoints;
import dev.drawbridge.model.cluster.ClusterNodes;
import dev.drawbridge.proxy.web.Responses;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.util.function.Supplier;

/**
 * {@code GET /connector/v1/endpoints} on the admin host: the tunnel URL as the server now listens, so that a
 * registered connector follows the server when its tunnel port or host changes (it asks at start and when its
 * stored URL stops answering). Anonymous: the tunnel URL is no secret (the tunnel port itself demands a connector
 * certificate), and connectors trust the answer only through TLS verified against their stored server CA.
 * With it, the live nodes' tunnel URLs (docs/scale-out.md): a connector learns them at start, and again through any node
 * when the ones it had tunnels to are gone.
 */
public final class EndpointsHandler {
    public static final String PATH = "/connector/v1/endpoints";

    private final String tunnelUrl;
    private final Supplier<ClusterNodes> nodes;

    public EndpointsHandler(String tunnelUrl, Supplier<ClusterNodes> nodes) {
        this.tunnelUrl = tunnelUrl;
        this.nodes = nodes;
    }

    public void handle(Request request, Response response, Callback callback) {
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
            response.getHeaders().put("Allow", "GET, HEAD");
            Responses.problem(response, callback, 405, "Method not allowed", "use GET");
            return;
        }
        ClusterNodes live = nodes.get();
        Responses.json(response, callback, 200, new ConnectorEndpoints(tunnelUrl, live.tunnelUrls(), live.version()));
    }
}
