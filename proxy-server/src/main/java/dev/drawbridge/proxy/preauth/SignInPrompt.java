package dev.drawbridge.proxy.preauth;

import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.signin.SignInService;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** How an app host asks for a sign-in and keeps a session alive ({@link AppSignIn} in production). */
public interface SignInPrompt {
    /**
     * Answers a request that needs a (stronger) sign-in: a browser is sent to the sign-in host, any other client gets 401.
     *
     * @param stepUp the session is valid but conditional access wants a second factor
     */
    void challenge(PublishedApp app, Request request, Response response, Callback callback, boolean stepUp);

    /** Where a signed-in user asks for access to an app not assigned to them. */
    String requestAccessUrl(PublishedApp app);

    /** Re-issues the app session cookie when its last-activity time is old enough (sliding idle timeout). */
    void slide(PublishedApp app, Response response, SignInService.Valid session);
}
