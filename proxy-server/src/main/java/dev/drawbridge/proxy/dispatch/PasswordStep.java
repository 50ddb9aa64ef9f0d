package dev.drawbridge.proxy.dispatch;

import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.sso.SsoInstruction;
import dev.drawbridge.model.sso.SsoWire;
import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.ResponseHead;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.SsoJson;
import dev.drawbridge.proxy.preauth.Identity;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Password vaulting in {@link DispatchHandler}: before a signed-in user's request to a {@code BASIC} or {@code FORMS}
 * app is sent, the
 * credential {@link PasswordVaulting} gives goes into the OPEN's instruction (for this stream only), or the request is
 * answered here (a redirect to My Apps, a problem, a page); when the backend answers {@code 401} with a Basic challenge
 * to it, the user never gets the backend's challenge (a browser would show its own password prompt, and what the user
 * typed there would bypass the vault): {@link PasswordVaulting#refused} decides what they get instead. For a
 * {@code FORMS} app the connector says that the backend showed its login form again after the post
 * ({@link SsoWire#FORMS_REFUSED_HEADER}), and the same happens.
 */
final class PasswordStep {
    /** The request attribute holding what was sent ({@link Sent}). */
    private static final String SENT = PasswordStep.class.getName() + ".sent";
    /** A {@code Basic} challenge among the comma-separated challenges of a WWW-Authenticate value (any case). */
    private static final Pattern BASIC = Pattern.compile("(^|,)\\s*basic(\\s|,|$)", Pattern.CASE_INSENSITIVE);

    private PasswordStep() {
    }

    /** What a request carried, to answer the backend's refusal. */
    private record Sent(PasswordVaulting vaulting, PasswordVaulting.Attempt attempt, PasswordVaulting.Decision.Send send) {
    }

    /**
     * {@code head} with the credential of {@code user}'s request when {@code app} is a BASIC app (unchanged for every
     * other app); empty when the request was answered here instead.
     */
    static Optional<RequestHead> prepare(PasswordVaulting vaulting, PublishedApp app, Optional<Identity> user, boolean bearer,
                                         RequestHead head, Request request, Response response, Callback callback) {
        if (app.sso().vaultCredentials().isEmpty() || user.isEmpty()) {
            // Without a user (never for an app with single sign-on) the connector refuses the stream itself.
            return Optional.of(head);
        }
        PasswordVaulting.Attempt attempt = new PasswordVaulting.Attempt(app, user.get(), browser(request, bearer), returnUrl(app, request),
                Request.getRemoteAddr(request));
        switch (vaulting.before(attempt)) {
            case PasswordVaulting.Decision.Send send -> {
                request.setAttribute(SENT, new Sent(vaulting, attempt, send));
                return Optional.of(head.withSso(SsoJson.instruction(new SsoInstruction(app.sso(), send.credential()))));
            }
            case PasswordVaulting.Decision.Redirect r -> Response.sendRedirect(request, response, callback, 303, r.url(), false);
            case PasswordVaulting.Decision.Fail f -> f.failure().respond(response, callback);
        }
        return Optional.empty();
    }

    /**
     * Whether the backend's answer {@code rh} refused the credential the request carried ({@code 401} with a Basic
     * challenge) and was answered here instead of relayed; {@code discard} runs first (it drops the backend's body).
     */
    static boolean answeredRefusal(Request request, ResponseHead rh, Response response, Callback callback, Runnable discard) {
        if (!(request.getAttribute(SENT) instanceof Sent sent)) {
            return false;
        }
        boolean refused = sent.attempt().app().sso().method() == SsoMethod.FORMS
                ? formsRefused(rh.headers()) : rh.status() == 401 && basicChallenge(rh.headers());
        if (!refused) {
            return false;
        }
        discard.run();
        switch (sent.vaulting().refused(sent.attempt(), sent.send())) {
            case PasswordVaulting.Decision.Redirect r -> Response.sendRedirect(request, response, callback, 303, r.url(), false);
            case PasswordVaulting.Decision.Fail f -> f.failure().respond(response, callback);
            case PasswordVaulting.Decision.Send s -> throw new IllegalStateException("a refusal cannot send a credential");
        }
        return true;
    }

    /** Whether the connector said that the backend showed its login form again after it posted the stored password. */
    static boolean formsRefused(List<HeaderField> headers) {
        return headers.stream().anyMatch(h -> h.name().equalsIgnoreCase(SsoWire.FORMS_REFUSED_HEADER));
    }

    /** Whether a response's WWW-Authenticate headers (any spelling of the name) offer the Basic scheme. */
    static boolean basicChallenge(List<HeaderField> headers) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(HttpHeader.WWW_AUTHENTICATE.asString()))
                .anyMatch(h -> BASIC.matcher(h.value().toLowerCase(Locale.ROOT)).find());
    }

    /** A browser's page navigation: the session cookie (not a bearer token) and HTML accepted. */
    static boolean browser(Request request, boolean bearer) {
        String accept = request.getHeaders().get(HttpHeader.ACCEPT);
        return !bearer && accept != null && accept.contains("text/html");
    }

    /** Where to come back to: this URL for a GET or HEAD, else the app's root (a form post cannot be repeated). */
    static String returnUrl(PublishedApp app, Request request) {
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return app.externalOrigin() + app.externalPath();
        }
        String query = request.getHttpURI().getQuery();
        return app.externalOrigin() + request.getHttpURI().getPath() + (query == null ? "" : "?" + query);
    }
}
