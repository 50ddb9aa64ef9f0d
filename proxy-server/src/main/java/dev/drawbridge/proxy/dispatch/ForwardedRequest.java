package dev.drawbridge.proxy.dispatch;

import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.http.HopByHop;
import dev.drawbridge.model.http.RequestIds;
import dev.drawbridge.model.sso.SsoInstruction;
import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.SsoJson;
import dev.drawbridge.proxy.edge.RequestId;
import dev.drawbridge.proxy.forwarding.ClientHeaders;
import dev.drawbridge.proxy.signin.Cookies;
import dev.drawbridge.proxy.translation.BodyTranslation;
import dev.drawbridge.proxy.translation.LinkMap;
import dev.drawbridge.proxy.translation.TranslatedEtag;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.server.Request;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns a client's request into the {@link RequestHead} the connector sends upstream: the internal
 * URI (raw path and query kept byte for byte), hop-by-hop headers and every spelling of the identity,
 * address and routing headers of {@link ClientHeaders} removed, the client address Drawbridge decided on
 * ({@link Request#getRemoteAddr}, see {@code forwarding.ClientAddressCustomizer}) appended to
 * {@code X-Forwarded-For}, {@code X-Forwarded-Proto}/{@code -Host} set, and the Host header translated to the
 * internal host when the app asks for it. The request's id goes along as {@code X-Request-Id}. An app that translates
 * links is asked only for codings Drawbridge can decompress ({@link BodyTranslation#acceptEncoding}), its
 * {@code If-None-Match} is given back the app's own validators ({@link TranslatedEtag#forApp}), and a {@code Range}
 * with a date {@code If-Range} is dropped (the app answers the whole page, translated, never bytes of its untranslated
 * one to splice into a translated copy).
 */
public final class ForwardedRequest {
    /**
     * Headers Drawbridge replaces (compared in {@link ClientHeaders#canonical} form). {@code X-Request-Id} is the
     * request's own id ({@link RequestId}): a client's, in any spelling, never reaches the app.
     */
    private static final Set<String> REPLACED = Set.of("host", "sec-websocket-key", "sec-websocket-version",
            "sec-websocket-extensions", "sec-websocket-accept", "x-request-id");

    private ForwardedRequest() {
    }

    /**
     * The Cookie header without Drawbridge's own cookies: the app session cookie (a bearer credential the app must never
     * see) and the sign-in nonce cookies ({@link dev.drawbridge.proxy.signin.Cookies#isReserved}).
     */
    static Optional<String> withoutSessionCookie(String cookieHeader) {
        StringBuilder b = new StringBuilder();
        for (String part : cookieHeader.split(";")) {
            String c = part.strip();
            int eq = c.indexOf('=');
            if (c.isEmpty() || Cookies.isReserved(eq < 0 ? c : c.substring(0, eq))) {
                continue;
            }
            if (!b.isEmpty()) {
                b.append("; ");
            }
            b.append(c);
        }
        return b.isEmpty() ? Optional.empty() : Optional.of(b.toString());
    }

    /**
     * Whether the client sends a body: a non-zero Content-Length, or chunked transfer coding; on HTTP/2 also a body of
     * unknown length (no END_STREAM on the headers, {@link RequestBody#present}).
     */
    public static boolean hasBody(Request request) {
        return RequestBody.present(request);
    }

    public static RequestHead build(PublishedApp app, Request request, String remainder, boolean websocket, Duration timeout) {
        return build(app, request, remainder, websocket, timeout, List.of());
    }

    /**
     * As above, adding {@code identityHeaders} (the pre-authenticated user, set by Drawbridge only)
     * and removing Drawbridge's own session cookie from what the app receives.
     */
    public static RequestHead build(PublishedApp app, Request request, String remainder, boolean websocket, Duration timeout,
                                    List<HeaderField> identityHeaders) {
        return build(app, request, remainder, websocket, timeout, identityHeaders, false);
    }

    /** As above; with {@code dropAuthorization} the client's bearer token (meant for Drawbridge) is not forwarded. */
    public static RequestHead build(PublishedApp app, Request request, String remainder, boolean websocket, Duration timeout,
                                    List<HeaderField> identityHeaders, boolean dropAuthorization) {
        return build(app, request, remainder, websocket, timeout, identityHeaders, dropAuthorization, LinkMap.empty());
    }

    /**
     * As above; for an app that translates links, {@code If-None-Match} entries naming a page translated with
     * {@code links} go to the app as its own validators, and those naming one translated with another map are dropped
     * ({@link TranslatedEtag#forApp}).
     */
    public static RequestHead build(PublishedApp app, Request request, String remainder, boolean websocket, Duration timeout,
                                    List<HeaderField> identityHeaders, boolean dropAuthorization, LinkMap links) {
        String query = request.getHttpURI().getQuery();
        URI internal = app.internalUrl();
        String upstream = internal.getScheme() + "://" + internal.getRawAuthority() + app.internalPath() + remainder
                + (query == null ? "" : "?" + query);

        List<HeaderField> in = new ArrayList<>();
        for (HttpField f : request.getHeaders()) {
            in.add(new HeaderField(f.getName(), f.getValue()));
        }
        List<HeaderField> out = new ArrayList<>();
        // Client-sent spellings of the app's single sign-on headers never leave the proxy (the connector removes them
        // too, and sets the real ones).
        Set<String> ssoNames = app.sso().headers().stream().map(r -> ClientHeaders.canonical(r.name())).collect(Collectors.toSet());
        if (app.sso().method() == SsoMethod.BASIC) {
            // The connector sends the stored password as Authorization: what the client sent there never goes along.
            ssoNames = Set.of("authorization");
        }
        String priorXff = null;
        // A translating app's range by date: a translated copy has the app's Last-Modified, which a date If-Range would
        // match, and the app would answer bytes of its untranslated page to be spliced into it. The range is dropped:
        // the app answers the whole page, which is translated. (An entity-tag If-Range never matches a translated copy,
        // whose tags are weak.)
        boolean dropRange = app.translateLinksInBody() && in.stream().anyMatch(h -> ClientHeaders.canonical(h.name()).equals("if-range")
                && !h.value().strip().startsWith("\"") && !h.value().strip().startsWith("W/"));
        for (HeaderField h : HopByHop.strip(in)) {
            String n = h.name().toLowerCase(Locale.ROOT);
            if (ClientHeaders.isForwardedFor(n)) {
                // Kept for the backend, never decided on: the entry appended below is the address Drawbridge used.
                priorXff = priorXff == null ? h.value() : priorXff + ", " + h.value();
                continue;
            }
            if (ClientHeaders.isStripped(n) || REPLACED.contains(ClientHeaders.canonical(n)) || ssoNames.contains(ClientHeaders.canonical(n))) {
                continue;
            }
            if (dropAuthorization && n.equals("authorization")) {
                continue;
            }
            if (n.equals("accept-encoding") && app.translateLinksInBody()) {
                // The app's pages must come in a coding Drawbridge can decompress to translate them.
                out.add(new HeaderField(h.name(), BodyTranslation.acceptEncoding(h.value())));
                continue;
            }
            if (dropRange && (ClientHeaders.canonical(n).equals("range") || ClientHeaders.canonical(n).equals("if-range"))) {
                continue;
            }
            if (n.equals("if-none-match") && app.translateLinksInBody()) {
                TranslatedEtag.forApp(h.value(), links).ifPresent(v -> out.add(new HeaderField(h.name(), v)));
                continue;
            }
            if (n.equals("cookie")) {
                withoutSessionCookie(h.value()).ifPresent(v -> out.add(new HeaderField(h.name(), v)));
                continue;
            }
            out.add(h);
        }
        String clientIp = Request.getRemoteAddr(request);
        out.add(new HeaderField("X-Forwarded-For", priorXff == null ? clientIp : priorXff + ", " + clientIp));
        out.add(new HeaderField("X-Forwarded-Proto", request.isSecure() ? "https" : "http"));
        // HTTP/1.1 names it in Host, HTTP/2 in :authority (Jetty refuses a request where both disagree): host and port.
        String externalHostHeader = Optional.ofNullable(request.getHeaders().get("Host"))
                .or(() -> Optional.ofNullable(request.getHttpURI().getAuthority()))
                .orElse(Request.getServerName(request));
        out.add(new HeaderField("X-Forwarded-Host", externalHostHeader));
        out.add(new HeaderField("Host", app.translateHostHeader() ? internal.getRawAuthority() : externalHostHeader));
        // The connector logs the request under this id and passes it on to the app.
        RequestId.ATTRIBUTE.find(request).ifPresent(id -> out.add(new HeaderField(RequestIds.HEADER, id.value())));
        out.addAll(identityHeaders);
        RequestHead head = new RequestHead(app.id(), request.getMethod(), upstream, out, timeout, websocket, hasBody(request));
        // The app's single sign-on travels to the connector, which sets its headers from the verified user.
        return app.hasSso() ? head.withSso(SsoJson.instruction(SsoInstruction.of(SsoJson.forConnector(app.sso())))) : head;
    }
}
