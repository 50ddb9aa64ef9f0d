package dev.drawbridge.proxy.routing;

import dev.drawbridge.proxy.edge.RequestAttribute;

import java.util.Objects;

/**
 * What app routing found for a request on an app host, for the handlers after it.
 *
 * @param app       the published app the request belongs to
 * @param rawPath   the request path exactly as the client sent it (percent-encoding kept), forwarded byte for byte
 * @param remainder the raw path after the app's external prefix (empty for the prefix itself)
 */
public record Routed(PublishedApp app, String rawPath, String remainder) {
    public static final RequestAttribute<Routed> ATTRIBUTE = RequestAttribute.of(Routed.class);

    public Routed {
        Objects.requireNonNull(app);
        Objects.requireNonNull(rawPath);
        Objects.requireNonNull(remainder);
    }
}
