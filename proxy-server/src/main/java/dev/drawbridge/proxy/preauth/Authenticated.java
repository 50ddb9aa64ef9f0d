package dev.drawbridge.proxy.preauth;

import dev.drawbridge.proxy.edge.RequestAttribute;
import dev.drawbridge.proxy.signin.SignInService;

import java.util.Objects;
import java.util.Optional;

/**
 * Who authentication found behind a request on an app host, for authorization.
 *
 * @param caller the verified session (app cookie) or access token (bearer) and its user; empty for passthrough apps
 * @param bearer the caller came with an {@code Authorization: Bearer} token (a native or API client), not a cookie
 */
public record Authenticated(Optional<SignInService.Valid> caller, boolean bearer) {
    public static final RequestAttribute<Authenticated> ATTRIBUTE = RequestAttribute.of(Authenticated.class);

    public Authenticated {
        Objects.requireNonNull(caller);
    }

    /** A passthrough app: nobody is authenticated, and nobody needs to be. */
    public static Authenticated passthrough() {
        return new Authenticated(Optional.empty(), false);
    }
}
