package dev.drawbridge.tunnel.transport;

import dev.drawbridge.model.tunnel.TunnelLink;
import org.eclipse.jetty.http.HttpFields;

import java.util.Objects;

/**
 * A {@code drawbridge-tunnel/2} link the connector dialled, with the headers of the server's {@code 101} (its
 * {@code X-Drawbridge-Tunnel-Features}).
 */
public record DialedLink(TunnelLink link, HttpFields responseHeaders) {
    public DialedLink {
        Objects.requireNonNull(link, "link");
        responseHeaders = responseHeaders.asImmutable();
    }
}
