package dev.drawbridge.proxy.tunnel;

import dev.drawbridge.model.sso.SsoWire;
import dev.drawbridge.model.tunnel.TunnelFeatures;
import dev.drawbridge.proxy.web.Responses;
import dev.drawbridge.tunnel.transport.TunnelUpgrade;
import dev.drawbridge.tunnel.transport.WebSocketLink;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The tunnel endpoint ({@code /connector/v1/tunnel} on the tunnel port, where TLS already required
 * a client certificate from the connector CA). Checks that the certificate belongs to a known,
 * unrevoked connector and has not expired, then upgrades to {@code drawbridge-tunnel/2} ({@link TunnelUpgrade}: length-prefixed frames on
 * this connection) when asked, else to a WebSocket ({@link WebSocketLink}), carrying a {@link TunnelConnection}, which
 * keeps the certificate's serial and expiry for {@link ConnectorRegistry#recheck()}. It and the other endpoints of the
 * tunnel port ({@link #route}) answer only at their exact path as sent (raw, not decoded): any other spelling is a 404.
 */
public final class TunnelHandler extends Handler.Abstract {
    public static final String PATH = "/connector/v1/tunnel";
    public static final String VERSION_HEADER = "X-Drawbridge-Connector-Version";
    public static final String HOST_HEADER = "X-Drawbridge-Connector-Host";
    private static final Logger LOG = LoggerFactory.getLogger(TunnelHandler.class);
    /** The headers of every tunnel's 101, whatever its transport: what this server reads (the connector sends TRAILERS only if told). */
    static final HttpFields ANSWER = HttpFields.build().put(TunnelFeatures.HEADER, TunnelFeatures.TRAILERS).asImmutable();

    private final ConnectorStore store;
    private final ConnectorRegistry registry;
    private final ServerWebSocketContainer container;
    private final Clock clock;

    public TunnelHandler(ConnectorStore store, ConnectorRegistry registry, ServerWebSocketContainer container, Clock clock) {
        this.store = store;
        this.registry = registry;
        this.container = container;
        this.clock = clock;
    }

    /**
     * An endpoint of the tunnel port besides the tunnel (e.g. certificate renewal): called with the client certificate the
     * TLS handshake verified (connector CA, validity) and the connector id it names; it checks the connector's standing.
     */
    @FunctionalInterface
    public interface ConnectorEndpoint {
        void handle(Request request, Response response, Callback callback, X509Certificate certificate, String connectorId)
                throws Exception;
    }

    private final Map<String, ConnectorEndpoint> endpoints = new ConcurrentHashMap<>();

    /** Serves {@code path} on the tunnel port with {@code endpoint}, for connectors with a client certificate only. */
    public void route(String path, ConnectorEndpoint endpoint) {
        endpoints.put(path, endpoint);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        // The path exactly as sent (not decoded, not normalised): %72enew, renew;x, dot segments, doubled or encoded
        // slashes must reach no endpoint, as every endpoint checks no path of its own.
        String path = request.getHttpURI().getPath();
        ConnectorEndpoint endpoint = path == null ? null : endpoints.get(path);
        if (!PATH.equals(path) && endpoint == null) {
            Responses.problem(response, callback, 404, "Not found", "the tunnel port serves only " + PATH);
            return true;
        }
        Optional<X509Certificate> cert = peerCertificate(request);
        if (cert.isEmpty()) {
            Responses.problem(response, callback, 401, "Client certificate required", "connect with the certificate issued at registration");
            return true;
        }
        String connectorId = commonName(cert.get()).orElse("");
        if (endpoint != null) {
            endpoint.handle(request, response, callback, cert.get(), connectorId);
            return true;
        }
        String serial = cert.get().getSerialNumber().toString(16);
        Instant notAfter = cert.get().getNotAfter().toInstant();
        Optional<ConnectorStore.Connector> known = store.findConnector(connectorId);
        // The registered certificate, or the previous one for a short grace after a renewal.
        if (known.isEmpty() || store.standing(connectorId, clock.instant()).filter(s -> s.accepts(serial)).isEmpty()) {
            LOG.warn("refused tunnel: unknown connector certificate CN={} serial={}", connectorId, serial);
            Responses.problem(response, callback, 403, "Unknown connector", "this certificate does not belong to a registered connector; register again");
            return true;
        }
        ConnectorStore.Connector c = known.get();
        if (c.revokedAt().isPresent()) {
            LOG.warn("refused tunnel: connector {} is revoked", connectorId);
            Responses.problem(response, callback, 403, "Connector revoked", "this connector was revoked by an administrator; register again");
            return true;
        }
        if (!clock.instant().isBefore(notAfter)) {
            // The handshake checks validity by the system clock; this holds with the server's (and a moved test clock).
            LOG.warn("refused tunnel: the certificate of connector {} expired at {}", connectorId, notAfter);
            Responses.problem(response, callback, 403, "Connector certificate expired", "this connector's certificate expired at "
                    + notAfter + "; register again");
            return true;
        }
        String version = Optional.ofNullable(request.getHeaders().get(VERSION_HEADER)).orElse(c.version());
        String host = Optional.ofNullable(request.getHeaders().get(HOST_HEADER)).orElse(c.hostName());
        store.touch(c.id(), truncate(host, 253), truncate(version, 64), clock.instant());
        String features = request.getHeaders().get(TunnelFeatures.HEADER);
        if (TunnelUpgrade.requested(request)) {
            // drawbridge-tunnel/2 (docs/tunnel.md): the same checks passed, length-prefixed frames on this connection.
            TunnelUpgrade.accept(request, response, callback, tunnel(c, serial, notAfter, features), ANSWER, registry.linkIdleTimeout(),
                    registry.pinnedInput(c.id()));
            return true;
        }
        boolean upgraded = container.upgrade((rq, rs, cb) -> {
            ANSWER.forEach(rs.getHeaders()::put);
            return new WebSocketLink(tunnel(c, serial, notAfter, features));
        }, request, response, callback);
        if (!upgraded) {
            Responses.problem(response, callback, 400, "WebSocket upgrade required", "the tunnel is a WebSocket");
        }
        return true;
    }

    /** A tunnel of connector {@code c} that announced {@code features}, not yet open (its link opens it). */
    private TunnelConnection tunnel(ConnectorStore.Connector c, String serial, Instant notAfter, String features) {
        TunnelConnection tunnel = registry.newTunnel(c.id(), c.groupId(), serial, notAfter, SsoWire.announces(features));
        tunnel.peerReadsTrailers(TunnelFeatures.announces(features, TunnelFeatures.TRAILERS));
        tunnel.peerReadsNodes(TunnelFeatures.announces(features, TunnelFeatures.NODES));
        return tunnel;
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    static Optional<X509Certificate> peerCertificate(Request request) {
        if (request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE) instanceof EndPoint.SslSessionData data
                && data.peerCertificates() != null && data.peerCertificates().length > 0) {
            return Optional.of(data.peerCertificates()[0]);
        }
        return Optional.empty();
    }

    static Optional<String> commonName(X509Certificate cert) {
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return Optional.of(rdn.getValue().toString());
                }
            }
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
