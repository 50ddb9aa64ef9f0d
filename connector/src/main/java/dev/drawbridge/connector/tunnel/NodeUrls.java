package dev.drawbridge.connector.tunnel;

import dev.drawbridge.model.cluster.ClusterNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which node URLs a connector dials: the server's word (over the pinned-CA mutual-TLS tunnel or the pinned-CA endpoints
 * lookup) is still checked, so that a hostile or damaged row in the server's node table cannot turn the connector, which
 * sits on the corporate network, into a way to reach arbitrary hosts. A URL is dialled only when it is
 * {@code wss://host:port/connector/v1/tunnel} (the path of the registered tunnel URL; no user, query or fragment), at most
 * {@link ClusterNodes#MAX_URL_LENGTH} characters, and its host is the registered tunnel URL's or admin URL's host, or the
 * server's domain or one name under it ({@code *.<domain>}, what the server CA's tunnel certificates name): no IP address,
 * no host outside the domain. TLS then still demands a certificate of the pinned server CA for that host before the client
 * certificate is sent. At most {@link ClusterNodes#MAX_NODES} URLs.
 */
public final class NodeUrls {
    private static final Logger LOG = LoggerFactory.getLogger(NodeUrls.class);
    /** Refused URLs already logged (bounded): each is said once, not at every list. */
    private static final int MAX_REMEMBERED = 64;

    private final Set<String> hosts;
    private final Set<String> domains;
    private final String path;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /**
     * @param registeredTunnel the tunnel URL stored at registration (or the server's answer since)
     * @param serverUrl        the admin URL the connector registered with
     */
    public NodeUrls(URI registeredTunnel, URI serverUrl) {
        this.hosts = Set.copyOf(List.of(lower(registeredTunnel.getHost()), lower(serverUrl.getHost())));
        Set<String> d = new HashSet<>();
        parent(registeredTunnel.getHost()).ifPresent(d::add);
        parent(serverUrl.getHost()).ifPresent(d::add);
        this.domains = Set.copyOf(d);
        this.path = registeredTunnel.getRawPath() == null || registeredTunnel.getRawPath().isEmpty() ? "/connector/v1/tunnel"
                : registeredTunnel.getRawPath();
    }

    /** The URLs of {@code nodes} that may be dialled, in order, duplicates dropped; the others are logged once each. */
    public List<URI> accepted(List<String> nodes) {
        List<URI> out = new ArrayList<>();
        for (String u : nodes.stream().limit(ClusterNodes.MAX_NODES).toList()) {
            Optional<String> problem = problem(u);
            if (problem.isPresent()) {
                if (warned.size() < MAX_REMEMBERED && warned.add(u)) {
                    LOG.warn("the server names a node this connector will not dial: {}", problem.get());
                }
                continue;
            }
            URI uri = URI.create(u);
            if (!out.contains(uri)) {
                out.add(uri);
            }
        }
        return out;
    }

    /** Why {@code url} is not dialled; empty when it may be. */
    public Optional<String> problem(String url) {
        String shown = url.length() > 80 ? url.substring(0, 80) + "…" : url;
        if (url.length() > ClusterNodes.MAX_URL_LENGTH) {
            return Optional.of("a URL longer than " + ClusterNodes.MAX_URL_LENGTH + " characters");
        }
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("'" + shown + "' is not a URL");
        }
        if (!"wss".equals(u.getScheme()) || u.getHost() == null || u.getPort() < 1 || u.getPort() > 65535) {
            return Optional.of("'" + shown + "' is not wss://host:port");
        }
        if (u.getRawUserInfo() != null || u.getRawQuery() != null || u.getRawFragment() != null || !path.equals(u.getRawPath())) {
            return Optional.of("'" + shown + "' is not a tunnel URL (path " + path + ", no user, query or fragment)");
        }
        String host = lower(u.getHost());
        if (!hosts.contains(host) && domains.stream().noneMatch(d -> host.equals(d) || oneLabelUnder(host, d))) {
            return Optional.of("'" + shown + "': the host is not the server's domain " + domains + " or one name under it");
        }
        return Optional.empty();
    }

    private static boolean oneLabelUnder(String host, String domain) {
        return host.endsWith("." + domain) && host.length() > domain.length() + 1 && host.indexOf('.') == host.length() - domain.length() - 1;
    }

    /**
     * The domain of a server host: the host less its first label ({@code admin.example.com} → {@code example.com}), when what
     * is left is a name of two labels or more, or {@code localhost}; none for an IP address or a top-level name.
     */
    private static Optional<String> parent(String host) {
        if (host == null || host.startsWith("[") || host.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
            return Optional.empty();
        }
        String h = lower(host);
        int dot = h.indexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        String rest = h.substring(dot + 1);
        return rest.contains(".") || rest.equals("localhost") ? Optional.of(rest) : Optional.empty();
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
