package dev.drawbridge.proxy.edge;

import dev.drawbridge.model.http.RequestIds;

import java.util.Objects;

/**
 * The id of one request on the public listener ({@link RequestIds}): set before any handler runs
 * ({@code forwarding.RequestIdCustomizer}), written with the request's log lines, sent to the connector and the app in
 * {@code X-Request-Id}. Correlates logs; never decides anything.
 *
 * @param value a well-formed id ({@link RequestIds#isWellFormed})
 */
public record RequestId(String value) {
    public static final RequestAttribute<RequestId> ATTRIBUTE = RequestAttribute.of(RequestId.class);

    public RequestId {
        Objects.requireNonNull(value, "value");
        if (!RequestIds.isWellFormed(value)) {
            throw new IllegalArgumentException("not a well-formed request id");
        }
    }

    /** A new random id. */
    public static RequestId generate() {
        return new RequestId(RequestIds.generate());
    }
}
