package dev.drawbridge.proxy.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The tunnel URL a node gives connectors when it is not the one they would derive (admin host and tunnel port): a relay,
 * NAT or load balancer in front of the tunnel port ({@code --advertise-tunnel-url}, docs/scale-out.md). Written
 * {@code wss://host:port} or {@code https://host:port} (the path, if any, must be the tunnel's); given to connectors as
 * {@code wss://host:port/connector/v1/tunnel}.
 *
 * <p>The host must be the server's domain or one name under it: the tunnel listener presents only certificates of the
 * server CA, which name the domain and {@code *.<domain>}, and connectors dial no other host (docs/scale-out.md,
 * "Tunnels to every node"), so any other host would be a URL no connector can use.
 */
public final class AdvertisedTunnelUrl {
    /** The tunnel endpoint's path ({@code TunnelHandler.PATH}). */
    public static final String PATH = "/connector/v1/tunnel";
    private static final String FIELD = "cluster.advertiseTunnelUrl: ";
    private static final String OPTION = " (--advertise-tunnel-url)";

    private AdvertisedTunnelUrl() {
    }

    /** What is wrong with {@code url} for a server of {@code domain}; empty when it is usable. */
    public static Optional<String> problem(URI url, String domain) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("wss") && !scheme.equals("https")) {
            return Optional.of(FIELD + "'" + url + "' is not a wss:// or https:// URL such as wss://tunnel-1." + domain + ":8444" + OPTION);
        }
        if (url.getHost() == null || url.getPort() < 1 || url.getPort() > 65535) {
            return Optional.of(FIELD + "'" + url + "' needs a host and a port, e.g. wss://tunnel-1." + domain + ":8444" + OPTION);
        }
        if (url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null) {
            return Optional.of(FIELD + "'" + url + "' must have no user, query or fragment" + OPTION);
        }
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        if (!path.isEmpty() && !path.equals("/") && !path.equals(PATH)) {
            return Optional.of(FIELD + "'" + url + "' has the path '" + path + "'; leave it out (connectors dial " + PATH + ")" + OPTION);
        }
        if (!underDomain(url.getHost(), domain)) {
            return Optional.of(FIELD + "the host '" + url.getHost() + "' is not " + domain + " or one name under it (such as tunnel-1."
                    + domain + "): the tunnel port's certificate names only those, and connectors dial no other host" + OPTION);
        }
        return Optional.empty();
    }

    /** Whether {@code host} is {@code domain} or one DNS label under it (what {@code *.<domain>} covers). */
    public static boolean underDomain(String host, String domain) {
        String h = host.toLowerCase(Locale.ROOT);
        String d = domain.toLowerCase(Locale.ROOT);
        if (h.equals(d)) {
            return true;
        }
        return h.endsWith("." + d) && h.length() > d.length() + 1 && h.indexOf('.') == h.length() - d.length() - 1;
    }

    /**
     * Whether a node's URL as read from the database is one to give connectors: {@code wss://host:port/connector/v1/tunnel}
     * under {@code domain}, as {@link #normalized} writes it. A damaged or hostile row is left out of the list.
     */
    public static boolean listable(String url, String domain) {
        try {
            URI u = new URI(url);
            return "wss".equals(u.getScheme()) && PATH.equals(u.getRawPath()) && problem(u, domain).isEmpty();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** The URL connectors are given: {@code wss://host:port/connector/v1/tunnel} (valid input assumed). */
    public static String normalized(URI url) {
        return "wss://" + url.getHost().toLowerCase(Locale.ROOT) + ":" + url.getPort() + PATH;
    }
}
