package dev.drawbridge.model.tunnel;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the proxy tells the connector about one request: where to send it and what to send.
 * The connector is stateless: everything it needs for the request travels here.
 *
 * @param appId          the published app, for the connector's logs
 * @param method         HTTP method
 * @param upstreamUri    the absolute internal URI, path and query still encoded exactly as the client sent them
 * @param headers        request headers to send upstream (hop-by-hop already removed, forwarding headers added)
 * @param timeout        the app's backend timeout
 * @param websocket      true when the client asked for a WebSocket upgrade
 * @param body           true when a request body follows in DATA frames (its framing headers are hop-by-hop
 *                       and were removed, so the connector cannot tell otherwise)
 * @param identity       the signed identity of the user (a compact JWS of type {@code drawbridge-sso+jwt}, bound to
 *                       this stream), for pre-authenticated apps on tunnels that announced they read it; empty otherwise.
 *                       It travels after the headers, flagged by OPEN flag bit 2 (docs/tunnel.md)
 * @param sso            the app's single sign-on instruction for the connector (JSON of its
 *                       {@code dev.drawbridge.model.api.SsoSettings}), present when the app has a single sign-on method;
 *                       a connector refuses such a stream without a verified identity. It travels after the identity,
 *                       flagged by OPEN flag bit 3, only to tunnels that announced they read it
 */
public record RequestHead(String appId, String method, String upstreamUri, List<HeaderField> headers,
                          Duration timeout, boolean websocket, boolean body, Optional<String> identity, Optional<String> sso) {
    /** Longest identity token accepted (a JWS of a user with many groups stays far below). */
    public static final int MAX_IDENTITY = 32 * 1024;
    /** Longest single sign-on instruction accepted (20 header rules stay far below). */
    public static final int MAX_SSO = 16 * 1024;

    public RequestHead {
        Objects.requireNonNull(identity, "identity");
        if (identity.isPresent() && (identity.get().isEmpty() || identity.get().length() > MAX_IDENTITY)) {
            throw new IllegalArgumentException("identity must be 1.." + MAX_IDENTITY + " characters");
        }
        Objects.requireNonNull(sso, "sso");
        if (sso.isPresent() && (sso.get().isEmpty() || sso.get().length() > MAX_SSO)) {
            throw new IllegalArgumentException("sso must be 1.." + MAX_SSO + " characters");
        }
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(upstreamUri, "upstreamUri");
        Objects.requireNonNull(timeout, "timeout");
        headers = List.copyOf(headers);
        if (method.isEmpty()) {
            throw new IllegalArgumentException("method must not be empty");
        }
    }

    /** A head without an identity. */
    public RequestHead(String appId, String method, String upstreamUri, List<HeaderField> headers, Duration timeout,
                       boolean websocket, boolean body) {
        this(appId, method, upstreamUri, headers, timeout, websocket, body, Optional.empty(), Optional.empty());
    }

    /** A head with an identity (or none) and no single sign-on instruction. */
    public RequestHead(String appId, String method, String upstreamUri, List<HeaderField> headers, Duration timeout,
                       boolean websocket, boolean body, Optional<String> identity) {
        this(appId, method, upstreamUri, headers, timeout, websocket, body, identity, Optional.empty());
    }

    /** This head carrying {@code jws} as the user's identity (see {@link #identity}). */
    public RequestHead withIdentity(String jws) {
        return new RequestHead(appId, method, upstreamUri, headers, timeout, websocket, body, Optional.of(jws), sso);
    }

    /** This head carrying the single sign-on instruction {@code json} (see {@link #sso}). */
    public RequestHead withSso(String json) {
        return new RequestHead(appId, method, upstreamUri, headers, timeout, websocket, body, identity, Optional.of(json));
    }

    /** This head without its single sign-on instruction (for a tunnel that cannot read one). */
    public RequestHead withoutSso() {
        return new RequestHead(appId, method, upstreamUri, headers, timeout, websocket, body, identity, Optional.empty());
    }

    /** Never shows the identity token (it is a short-lived credential) nor header values (cookies, bearer tokens). */
    @Override
    public String toString() {
        return "RequestHead[" + appId + " " + method + " " + upstreamUri + ", " + headers.size() + " headers"
                + (identity.isPresent() ? ", identity" : "") + (sso.isPresent() ? ", sso" : "") + "]";
    }

    /** A head after which a body may follow (ended by END). */
    public RequestHead(String appId, String method, String upstreamUri, List<HeaderField> headers, Duration timeout,
                       boolean websocket) {
        this(appId, method, upstreamUri, headers, timeout, websocket, true);
    }

    /** The method of a raw TCP stream (see {@link #tcp}). */
    public static final String TCP_METHOD = "CONNECT";
    /** The scheme of a raw TCP stream's target: {@code tcp://host:port}. */
    public static final String TCP_SCHEME = "tcp";

    /**
     * A raw TCP stream: the connector opens a socket to {@code host:port} (within {@code connectTimeout}),
     * answers HEAD 200 once connected (or resets with {@link ResetCode#UPSTREAM_UNREACHABLE}), then relays
     * bytes both ways as DATA; END half-closes a direction. Used to reach on-premises LDAP through a connector.
     *
     * @param purpose what the stream is for, for the connector's logs (stands in for the app id)
     */
    public static RequestHead tcp(String purpose, String host, int port, Duration connectTimeout) {
        if (host == null || host.isBlank() || host.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '@')) {
            throw new IllegalArgumentException("invalid host: " + host);
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        // A body follows (the client's bytes), so the OPEN does not end the proxy-to-connector direction.
        return new RequestHead(purpose, TCP_METHOD, TCP_SCHEME + "://" + h + ":" + port, List.of(), connectTimeout, false, true);
    }

    /** True for a raw TCP stream opened with {@link #tcp}. */
    public boolean isTcp() {
        return method.equals(TCP_METHOD) && upstreamUri.startsWith(TCP_SCHEME + "://");
    }

    /** First value of a header, case-insensitively. */
    public Optional<String> header(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(HeaderField::value).findFirst();
    }
}
