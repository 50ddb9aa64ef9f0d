package dev.drawbridge.proxy.signin;

import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.proxy.apps.PublishedApp;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The SAML identity provider of SAML apps, which {@link SignInHandler} serves on the sign-in host under
 * {@value #PREFIX}{@code <app id>/} (metadata, the single sign-on service, the way back from signing in, IdP-initiated
 * sign-in). Owned here and implemented by {@code saml.SamlIdp} (wired by the composition root), so that the sign-in
 * feature does not depend on it.
 */
public interface SamlEndpoints {
    String PREFIX = "/saml/";
    /** The sign-in host's paths under {@value #PREFIX} a finished sign-in may go back to (see {@link SignInHandler#loginPath}). */
    Pattern RETURN_PATH = Pattern.compile("/saml/[A-Za-z0-9-]{1,64}/(start|continue\\?r=[A-Za-z0-9_-]{20,100})");

    /** No SAML: every path under {@value #PREFIX} is not found. */
    SamlEndpoints NONE = (request, response, callback, session) ->
            Pages.write(response, callback, 404, "Not found", "<p>There is nothing here. <a href=\"/\">My Apps</a></p>");

    /** Answers a request under {@value #PREFIX}, with the browser's sign-in session when it has one. */
    void handle(Request request, Response response, Callback callback, Optional<SignInService.Valid> session);

    /** Where My Apps opens {@code app}: the IdP-initiated sign-in of a SAML app (on the sign-in host); empty for other apps. */
    static Optional<String> launchPath(PublishedApp app) {
        return app.sso().method() == SsoMethod.SAML && app.sso().saml() != null
                ? Optional.of(PREFIX + app.id() + "/start") : Optional.empty();
    }
}
