package dev.drawbridge.proxy.signin;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.util.Optional;

/**
 * The OAuth 2.0 / OpenID Connect endpoints that {@link SignInHandler} serves on the sign-in host for native and API
 * clients. Owned here and implemented by {@code oauth.TokenIssuer} (wired by the composition root), so that the
 * token issuer may build on the sign-in feature without the sign-in feature depending on it.
 */
public interface OAuthEndpoints {
    /** {@code GET /.well-known/openid-configuration}. */
    void discovery(Response response, Callback callback);

    /** {@code GET /authorize}, with the browser's sign-in session when it has one. */
    void authorize(Request request, Response response, Callback callback, Optional<SignInService.Valid> session);

    /** {@code POST /token}. */
    void token(Request request, Response response, Callback callback);
}
