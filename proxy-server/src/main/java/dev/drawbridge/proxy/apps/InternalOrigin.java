package dev.drawbridge.proxy.apps;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;

/**
 * The backend an internal URL names, however it is spelled: scheme and host in lower case, the host without trailing
 * dots ({@code x.corp.} is the fully qualified {@code x.corp}), an IPv6 literal in one canonical form ({@code [0:0::1]}
 * is {@code [::1]}; an IPv4-mapped one is the IPv4 address), and the effective port ({@code http://x.corp} is
 * {@code http://x.corp:80}). Two names of one host in DNS (an alias, or an address and a name) are not recognised: that
 * takes a lookup the proxy cannot make (the connector resolves). Internal URLs are validated to have a host
 * ({@code AppValidator}), so names outside ASCII do not occur. A wildcard app's origin has the host {@code *.corp.local}.
 */
record InternalOrigin(String scheme, String host, int port) {
    InternalOrigin {
        Objects.requireNonNull(scheme);
        Objects.requireNonNull(host);
    }

    static InternalOrigin of(URI internalUrl) {
        if (internalUrl.getHost() == null && internalUrl.getRawAuthority() != null && internalUrl.getRawAuthority().startsWith("*.")) {
            // A wildcard app's internal URL: read as the URL of one label, then the label is the '*' again.
            InternalOrigin one = of(WildcardHost.substitute(internalUrl, "x"));
            return new InternalOrigin(one.scheme(), "*" + one.host().substring(1), one.port());
        }
        String scheme = internalUrl.getScheme().toLowerCase(Locale.ROOT);
        String host = internalUrl.getHost() == null ? internalUrl.getRawAuthority() : internalUrl.getHost();
        int port = internalUrl.getPort() != -1 ? internalUrl.getPort()
                : scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
        return new InternalOrigin(scheme, canonicalHost(host == null ? "" : host), port);
    }

    /**
     * Whether a request to {@code other} (an origin of one host) reaches this origin's backend: the same origin, or this is
     * a wildcard origin ({@code *.corp}) whose one label covers the other's host on the same scheme and port.
     */
    boolean reaches(InternalOrigin other) {
        if (equals(other)) {
            return true;
        }
        return scheme.equals(other.scheme) && port == other.port && WildcardHost.match(host, other.host).isPresent();
    }

    private static String canonicalHost(String host) {
        if (host.startsWith("[") && host.endsWith("]")) {
            try {
                // A bracketed literal is parsed, never looked up; an invalid one throws.
                return InetAddress.getByName(host).getHostAddress().toLowerCase(Locale.ROOT);
            } catch (UnknownHostException e) {
                return host.toLowerCase(Locale.ROOT);
            }
        }
        String h = host;
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h.toLowerCase(Locale.ROOT);
    }
}
