package dev.drawbridge.proxy.update;

import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.update.UpdateReport;
import dev.drawbridge.model.update.UpdateVersions;
import dev.drawbridge.proxy.tunnel.ConnectorStore;
import dev.drawbridge.proxy.tunnel.TunnelHandler;
import dev.drawbridge.proxy.web.JsonBody;
import dev.drawbridge.proxy.web.Responses;
import dev.drawbridge.proxy.web.ValidationException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.OutputStream;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The update endpoints connectors call on the tunnel port ({@link TunnelHandler#route}, mutual TLS), each only for a
 * registered, unrevoked connector presenting its current certificate or, during the renewal grace, its previous one, not
 * expired by the server's clock; each only at its exact path as sent (no percent-encoding, {@code ;} parameters or
 * trailing slash: those are 404s, never this or another endpoint):
 * <pre>
 *   POST /connector/v1/update                 UpdateReport → UpdateInstruction ({@link Rollouts#report})
 *   GET  /connector/v1/update/bundle?version=V  the bundle's bytes (application/zip), streamed from the database: only V of
 *                                             the update turn the connector holds (403), one download at a time (429)
 *   GET  /connector/v1/update/key             {"jwk": "&lt;the update key's public JWK&gt;"} (for connectors registered before)
 * </pre>
 */
public final class UpdateEndpoints {
    public static final String REPORT = "/connector/v1/update";
    public static final String BUNDLE = "/connector/v1/update/bundle";
    public static final String KEY = "/connector/v1/update/key";
    private static final Logger LOG = LoggerFactory.getLogger(UpdateEndpoints.class);

    private final ConnectorStore connectors;
    private final UpdateStore bundles;
    private final Rollouts rollouts;
    private final UpdateKey key;
    private final Clock clock;
    /** The connectors downloading a bundle from this node now. */
    private final Set<String> downloading = ConcurrentHashMap.newKeySet();

    public UpdateEndpoints(ConnectorStore connectors, UpdateStore bundles, Rollouts rollouts, UpdateKey key, Clock clock) {
        this.connectors = connectors;
        this.bundles = bundles;
        this.rollouts = rollouts;
        this.key = key;
        this.clock = clock;
    }

    /** Serves the three endpoints on {@code tunnel}. */
    public void install(TunnelHandler tunnel) {
        tunnel.route(REPORT, guarded(REPORT, "POST", this::report));
        tunnel.route(BUNDLE, guarded(BUNDLE, "GET", this::bundle));
        tunnel.route(KEY, guarded(KEY, "GET", this::key));
    }

    @FunctionalInterface
    private interface Endpoint {
        void handle(Request request, Response response, Callback callback, String connectorId) throws Exception;
    }

    /** The exact path, the method, then the connector's standing; only then {@code endpoint}. */
    private TunnelHandler.ConnectorEndpoint guarded(String path, String method, Endpoint endpoint) {
        return (request, response, callback, certificate, connectorId) -> {
            if (!path.equals(request.getHttpURI().getPath())) {
                Responses.problem(response, callback, 404, "Not found", "no such endpoint on the tunnel port");
                return;
            }
            if (!method.equals(request.getMethod())) {
                response.getHeaders().put(HttpHeader.ALLOW, method);
                Responses.problem(response, callback, 405, "Method not allowed", "use " + method);
                return;
            }
            if (!inStanding(certificate, connectorId)) {
                Responses.problem(response, callback, 403, "Connector not accepted",
                        "this certificate does not belong to a registered connector (or it was revoked or expired); register again");
                return;
            }
            endpoint.handle(request, response, callback, connectorId);
        };
    }

    /** Registered, not revoked, the current certificate or the previous one in its grace, not expired. */
    private boolean inStanding(X509Certificate certificate, String connectorId) {
        Instant now = clock.instant();
        String serial = certificate.getSerialNumber().toString(16);
        Optional<ConnectorStore.Standing> standing = connectors.standing(connectorId, now);
        if (standing.isEmpty() || standing.get().revoked() || !standing.get().accepts(serial)
                || !now.isBefore(certificate.getNotAfter().toInstant())) {
            LOG.warn("refused an update request: connector {} (serial {}) is unknown, revoked, expired or not on an accepted certificate",
                    connectorId, serial);
            return false;
        }
        return true;
    }

    private void report(Request request, Response response, Callback callback, String connectorId) throws Exception {
        UpdateReport report;
        try {
            report = JsonBody.read(request, UpdateReport.class);
        } catch (ValidationException e) {
            Responses.problem(response, callback, new Problem("about:blank", "Invalid update report", 400, e.getMessage(), e.errors()));
            return;
        }
        Responses.json(response, callback, 200, rollouts.report(connectorId, report));
    }

    private void bundle(Request request, Response response, Callback callback, String connectorId) throws Exception {
        Fields query = Request.extractQueryParameters(request);
        String version = query.getValue("version");
        Optional<UpdateStore.Bundle> bundle = UpdateVersions.valid(version) ? bundles.find(version) : Optional.empty();
        if (bundle.isEmpty()) {
            Responses.problem(response, callback, 404, "No such update", "no bundle of version '" + printable(version) + "' is uploaded");
            return;
        }
        // A bundle is up to 256 MiB read from the database: only for the connector whose turn it is, one at a time.
        if (rollouts.turnOf(connectorId).filter(version::equals).isEmpty()) {
            LOG.warn("refused bundle {} to connector {}: it does not hold an update turn to that version", version, connectorId);
            Responses.problem(response, callback, 403, "Not this connector's turn",
                    "a connector downloads only the version of the update turn it holds in its group; report first");
            return;
        }
        if (!downloading.add(connectorId)) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, 60);
            Responses.problem(response, callback, 429, "Too many requests", "this connector is downloading a bundle already; one at a time");
            return;
        }
        try {
            send(response, callback, connectorId, version, bundle.get());
        } finally {
            downloading.remove(connectorId);
        }
    }

    private void send(Response response, Callback callback, String connectorId, String version, UpdateStore.Bundle bundle) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, BundleUploads.CONTENT_TYPE);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bundle.view().size());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(Responses.GENERATED_HEADER, "true");
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            bundles.copy(version, out);
        } catch (Exception e) {
            LOG.warn("sending bundle {} to connector {} failed: {}", version, connectorId, e.toString());
            callback.failed(e);
            return;
        }
        callback.succeeded();
    }

    private void key(Request request, Response response, Callback callback, String connectorId) {
        Responses.json(response, callback, 200, Map.of("jwk", key.publicJwk()));
    }

    private static String printable(String s) {
        if (s == null) {
            return "";
        }
        String t = s.replaceAll("[^\\x20-\\x7e]", "?");
        return t.length() > 80 ? t.substring(0, 80) + "…" : t;
    }
}
