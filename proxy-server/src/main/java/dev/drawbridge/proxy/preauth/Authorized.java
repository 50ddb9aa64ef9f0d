package dev.drawbridge.proxy.preauth;

import dev.drawbridge.proxy.edge.RequestAttribute;

import java.util.Objects;
import java.util.Optional;

/**
 * What authorization let through, for dispatch.
 *
 * @param identity the user forwarded to the internal app (signed assertion); empty for passthrough apps
 * @param bearer   the client's {@code Authorization} header was Drawbridge's bearer token and must not be forwarded
 */
public record Authorized(Optional<Identity> identity, boolean bearer) {
    public static final RequestAttribute<Authorized> ATTRIBUTE = RequestAttribute.of(Authorized.class);

    public Authorized {
        Objects.requireNonNull(identity);
    }
}
