package dev.drawbridge.proxy.registration;

import dev.drawbridge.model.api.ConnectorEventType;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.RegistrationRequest;
import dev.drawbridge.model.api.RegistrationResponse;
import dev.drawbridge.proxy.pki.CertificateAuthority;
import dev.drawbridge.proxy.pki.Pem;
import dev.drawbridge.proxy.pki.ServerKeys;
import dev.drawbridge.proxy.tunnel.ConnectorEventRecord;
import dev.drawbridge.proxy.tunnel.ConnectorRegistry;
import dev.drawbridge.proxy.tunnel.ConnectorStore;
import dev.drawbridge.proxy.web.JsonBody;
import dev.drawbridge.proxy.web.Responses;
import dev.drawbridge.proxy.web.ValidationException;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code POST /connector/v1/register}: a connector presents a one-time registration token and a
 * CSR; the connector CA signs it (subject chosen by the server) and the connector is recorded in
 * the token's group. Tokens are looked up by their SHA-256, so the comparison leaks nothing.
 */
public final class RegistrationHandler {
    public static final String PATH = "/connector/v1/register";
    public static final Duration CERT_VALIDITY = Duration.ofDays(365);
    private static final Logger LOG = LoggerFactory.getLogger(RegistrationHandler.class);

    private final ServerKeys keys;
    private final ConnectorStore store;
    private final Clock clock;
    private final String tunnelUrl;
    private final String updateKeyJwk;

    /** @param updateKeyJwk the public JWK of the update-signing key, which the connector pins (docs/updates.md) */
    public RegistrationHandler(ServerKeys keys, ConnectorStore store, Clock clock, String tunnelUrl, String updateKeyJwk) {
        this.keys = keys;
        this.store = store;
        this.clock = clock;
        this.tunnelUrl = tunnelUrl;
        this.updateKeyJwk = updateKeyJwk;
    }

    public void handle(Request request, Response response, Callback callback) throws IOException {
        if (!"POST".equals(request.getMethod())) {
            Responses.problem(response, callback, 405, "Method not allowed", "use POST");
            return;
        }
        RegistrationRequest req;
        try {
            req = JsonBody.read(request, RegistrationRequest.class);
        } catch (ValidationException e) {
            Responses.problem(response, callback, new Problem("about:blank", "Invalid registration request",
                    400, e.getMessage(), e.errors()));
            return;
        }
        if (req.token() == null || req.token().isBlank()) {
            Responses.problem(response, callback, 400, "Invalid registration request", "token is required");
            return;
        }
        var csr = (PKCS10CertificationRequest) null;
        try {
            csr = Pem.parseCsr(req.csrPem());
        } catch (CertificateAuthority.InvalidCsrException e) {
            Responses.problem(response, callback, 400, "Invalid registration request", e.getMessage());
            return;
        }
        String hash = HexFormat.of().formatHex(ServerKeys.sha256(req.token().strip()));
        Optional<String> group = store.consumeToken(hash, clock.instant());
        if (group.isEmpty()) {
            LOG.warn("refused connector registration from {}: invalid, expired or used token", Request.getRemoteAddr(request));
            response.getHeaders().put("WWW-Authenticate", "Bearer realm=\"drawbridge-registration\", error=\"invalid_token\"");
            Responses.problem(response, callback, 401, "Registration refused",
                    "the registration token is invalid, expired or already used; ask an administrator for a new one");
            return;
        }
        String connectorId = UUID.randomUUID().toString();
        X509Certificate cert;
        try {
            cert = keys.connectorCa().signClientCsr(csr, connectorId, CERT_VALIDITY);
        } catch (CertificateAuthority.InvalidCsrException e) {
            Responses.problem(response, callback, 400, "Invalid registration request", e.getMessage());
            return;
        }
        String host = req.hostName() == null || req.hostName().isBlank() ? "unknown" : req.hostName().strip();
        String version = req.version() == null || req.version().isBlank() ? "unknown" : req.version().strip();
        store.insertConnector(new ConnectorStore.Connector(connectorId, group.get(), cut(host, 253), cut(version, 64),
                cert.getSerialNumber().toString(16), cert.getNotAfter().toInstant(), clock.instant(),
                Optional.empty(), Optional.empty()));
        LOG.info("registered connector {} on host {} in group {}", connectorId, host, group.get());
        events.event(new ConnectorEventRecord(connectorId, ConnectorEventType.REGISTERED, "host " + cut(host, 253) + ", version " + cut(version, 64)
                + ", from " + Request.getRemoteAddr(request)));
        Responses.json(response, callback, 201, new RegistrationResponse(connectorId, group.get(), Pem.encode(cert),
                Pem.encode(keys.serverCa().certificate()), tunnelUrl, updateKeyJwk));
    }

    private volatile ConnectorRegistry.EventSink events = event -> { };

    /** Where registrations are reported (the connector event log). */
    public void onEvent(ConnectorRegistry.EventSink sink) {
        this.events = sink;
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
