package dev.drawbridge.proxy.preauth;

import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SignInResult;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.RequestPath;
import dev.drawbridge.proxy.apps.Routed;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.logs.SignInRecord;
import dev.drawbridge.proxy.signin.SignInService;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.UrlEncoded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The SAML response as the sign-in to a SAML app's host. The identity provider (the sign-in host) has the browser POST
 * the response to the app's ACS URL; a browser with no session for the app (an IdP-initiated sign-in from My Apps, or a
 * sign-in host on another site, whose POST carries no SameSite=Lax cookie) would get a 401 there. So a POST to exactly
 * the app's ACS path, from a page of the sign-in host ({@code Origin}), whose {@code SAMLResponse} is one the identity
 * provider issued for this app ({@link IssuedResponses}: by its hash, once, within its validity) starts the app session
 * of the response's user (enabled, not revoked since) and goes on to authorization and the app with the very same body.
 * Anything else is not admitted and gets the usual answer. A browser that has a session already spends the response all
 * the same, so no copy of a response ever opens a session later. The service provider still checks the response itself.
 */
public final class AcsSignIn {
    private static final Logger LOG = LoggerFactory.getLogger(AcsSignIn.class);
    /** The largest form read (a signed response of a user in many groups is well under it). */
    static final int MAX_BODY = 512 * 1024;

    /** A request admitted by its SAML response: the request (its body replayed) and its caller. */
    record Admitted(Request request, SignInService.Valid caller) {
    }

    private final IssuedResponses issued;
    private final SignInService service;
    private final AppSignIn appSignIn;

    public AcsSignIn(IssuedResponses issued, SignInService service, AppSignIn appSignIn) {
        this.issued = issued;
        this.service = service;
        this.appSignIn = appSignIn;
    }

    /**
     * Whether {@code request} is a form POST to its SAML app's ACS URL (nothing read yet): the ACS path in every spelling a
     * service provider's server may read as it (the normalised path, {@link RequestPath}: percent-encoding, path
     * parameters, repeated or trailing slashes; and any letter case, as Windows servers match paths).
     */
    boolean applies(Routed routed, Request request) {
        PublishedApp app = routed.app();
        SamlSso saml = app.sso().saml();
        if (app.sso().method() != SsoMethod.SAML || saml == null || !request.getMethod().equals("POST")) {
            return false;
        }
        URI acs = URI.create(saml.acsUrl());
        String origin = "https://" + acs.getRawAuthority();
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        return origin.equalsIgnoreCase(app.externalOrigin()) && isAcsPath(routed.path(), acs.getRawPath())
                && type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    /** Whether {@code path} is a spelling of {@code acsPath}: its raw form, or the same normalised segments in any case. */
    static boolean isAcsPath(RequestPath path, String acsPath) {
        if (path.raw().equals(acsPath)) {
            return true;
        }
        try {
            return folded(path.segments()).equals(folded(RequestPath.parse(acsPath).segments()));
        } catch (RequestPath.BadPathException e) {
            return false;
        }
    }

    private static String folded(List<String> segments) {
        return String.join("/", segments).toLowerCase(Locale.ROOT);
    }

    /**
     * For a request that {@link #applies} without a session: when it comes from a page of the sign-in host, reads the
     * form and redeems its response; the admitted request, or empty (the caller answers as for no session).
     */
    Optional<Admitted> admit(Routed routed, Request request, Response response) throws IOException {
        if (!service.loginOrigin().equals(request.getHeaders().get(HttpHeader.ORIGIN))) {
            return Optional.empty();
        }
        Optional<byte[]> body = body(request);
        Optional<String> samlResponse = body.flatMap(AcsSignIn::samlResponse);
        if (samlResponse.isEmpty()) {
            return Optional.empty();
        }
        PublishedApp app = routed.app();
        Optional<IssuedResponses.Grant> grant = issued.redeem(app.id(), samlResponse.get(), service.clock().instant());
        if (grant.isEmpty()) {
            LOG.info("a SAML response posted to {}'s ACS URL without a session was not one issued for it (or was used or expired)", app.name());
            return Optional.empty();
        }
        IssuedResponses.Grant g = grant.get();
        Optional<DirectoryUser> user = service.store().user(g.userId())
                .filter(u -> u.enabled() && g.authTime().isAfter(u.sessionsValidAfter()));
        if (user.isEmpty()) {
            return Optional.empty();
        }
        SignInService.Valid caller = appSignIn.startSession(app, response, user.get(), g.amr(), g.authTime());
        service.log(SignInRecord.access(SignInResult.SUCCESS, "session started for the app (SAML response at its ACS URL)",
                Request.getRemoteAddr(request)).user(user).app(app));
        return Optional.of(new Admitted(replay(request, body.get()), caller));
    }

    /** What a browser with an app session posting to the ACS URL gets. */
    sealed interface Spent {
        /** Go on to the app with this request (its body read again from the start). */
        record Forward(Request request) implements Spent {
        }

        /** The body is larger than {@value #MAX_BODY} bytes (no SAML response is). */
        record TooLarge() implements Spent {
        }

        /** The response was issued to another user than the session's: it never reaches the app. */
        record OtherUsers() implements Spent {
        }
    }

    /**
     * For a request that {@link #applies} with {@code caller}'s session already: the response it carries is spent all the
     * same (a copy of it can open no session later), and one the identity provider issued to another user is refused.
     * That is SAML's login CSRF: a page of any host of the same site (whose POST carries the SameSite=Lax session cookie)
     * posts a response issued to the attacker from the victim's browser, and a service provider that takes unsolicited
     * responses (mod_auth_mellon does) would sign the victim in as the attacker while Drawbridge names the victim.
     */
    Spent spend(Routed routed, Request request, SignInService.Valid caller) throws IOException {
        Optional<byte[]> body = body(request);
        if (body.isEmpty()) {
            return new Spent.TooLarge();
        }
        Optional<String> samlResponse = samlResponse(body.get());
        if (samlResponse.isPresent()) {
            String appId = routed.app().id();
            issued.redeem(appId, samlResponse.get(), service.clock().instant());
            Optional<String> owner = issued.issuedTo(appId, samlResponse.get());
            if (owner.isPresent() && !owner.get().equals(caller.user().id())) {
                LOG.warn("a SAML response issued to another user was posted to {}'s ACS URL with {}'s session; refused",
                        routed.app().name(), caller.user().upn());
                service.log(SignInRecord.access(SignInResult.DENIED, "a SAML response issued to another user was posted with this user's"
                        + " session (login CSRF); not passed to the app", Request.getRemoteAddr(request)).user(caller.user()).app(routed.app()));
                return new Spent.OtherUsers();
            }
        }
        return new Spent.Forward(replay(request, body.get()));
    }

    /** The body, at most {@value #MAX_BODY} bytes; empty when larger. */
    private static Optional<byte[]> body(Request request) throws IOException {
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            return body.length > MAX_BODY ? Optional.empty() : Optional.of(body);
        }
    }

    /** The form's one SAMLResponse. */
    private static Optional<String> samlResponse(byte[] body) {
        Fields form = new Fields();
        try {
            UrlEncoded.decodeUtf8To(new String(body, StandardCharsets.ISO_8859_1), form);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        Fields.Field f = form.get("SAMLResponse");
        return f == null || f.getValues().size() != 1 ? Optional.empty() : Optional.of(f.getValue());
    }

    /** {@code request} with {@code body} as its content, read again from the start. */
    private static Request replay(Request request, byte[] body) {
        AtomicBoolean served = new AtomicBoolean();
        return new Request.Wrapper(request) {
            @Override
            public Content.Chunk read() {
                return served.getAndSet(true) ? Content.Chunk.EOF : Content.Chunk.from(ByteBuffer.wrap(body).asReadOnlyBuffer(), true);
            }

            @Override
            public void demand(Runnable demandCallback) {
                demandCallback.run();
            }
        };
    }
}
