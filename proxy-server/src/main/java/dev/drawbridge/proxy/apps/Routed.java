package dev.drawbridge.proxy.apps;

import dev.drawbridge.proxy.edge.RequestAttribute;

import java.util.Objects;

/**
 * What app routing found for a request on an app host, for the handlers after it.
 *
 * @param app       the published app the request belongs to
 * @param path      the request path, raw (forwarded byte for byte) and normalised (what decisions are made on)
 * @param remainder the raw path after the app's external prefix (empty for the prefix itself)
 */
public record Routed(PublishedApp app, RequestPath path, String remainder) {
    public static final RequestAttribute<Routed> ATTRIBUTE = RequestAttribute.of(Routed.class);

    public Routed {
        Objects.requireNonNull(app);
        Objects.requireNonNull(path);
        Objects.requireNonNull(remainder);
    }

    /**
     * Whether the normalised path is {@code <app prefix>.drawbridge/<endpoint>} by the app's case rule: the proxy's
     * own endpoints on an app host (the sign-in callback, sign-out).
     */
    public boolean isEndpoint(String endpoint) {
        return app.caseInsensitivePaths() ? endpointSegments().equalsIgnoreCase(endpoint) : endpointSegments().equals(endpoint);
    }

    /** Whether the normalised path is under {@code <app prefix>.drawbridge/}, which the proxy reserves, in any letter case. */
    public boolean inReservedNamespace() {
        int skip = prefixLength();
        return path.segments().size() > skip && PathPrefix.fold(path.segments().get(skip)).equals(".drawbridge");
    }

    private String endpointSegments() {
        int skip = prefixLength();
        return String.join("/", path.segments().subList(Math.min(skip, path.segments().size()), path.segments().size()));
    }

    private int prefixLength() {
        return new PathPrefix(app.externalPath(), app.caseInsensitivePaths()).length();
    }
}
