package dev.drawbridge.proxy.registration;

import dev.drawbridge.model.api.ConnectorEventType;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.RenewalRequest;
import dev.drawbridge.model.api.RenewalResponse;
import dev.drawbridge.proxy.pki.CertificateAuthority;
import dev.drawbridge.proxy.pki.Pem;
import dev.drawbridge.proxy.pki.ServerKeys;
import dev.drawbridge.proxy.tunnel.ConnectorEventRecord;
import dev.drawbridge.proxy.tunnel.ConnectorRegistry;
import dev.drawbridge.proxy.tunnel.ConnectorStore;
import dev.drawbridge.proxy.tunnel.TunnelHandler;
import dev.drawbridge.proxy.web.JsonBody;
import dev.drawbridge.proxy.web.Responses;
import dev.drawbridge.proxy.web.ValidationException;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code POST /connector/v1/renew} on the tunnel port: a connector renews its client certificate over its authenticated
 * channel, well before expiry (it asks once its certificate is older than half its validity, as Entra's connectors do at
 * 180 days). Authenticated by the certificate the TLS handshake verified (connector CA, validity), which must be the
 * connector's registered one: never its previous one, which only carries tunnels during the grace; revoked connectors are
 * refused. The
 * new certificate (same connector id, the CSR's new key, new serial) becomes the registered one, and the presented one
 * stays accepted for {@link #GRACE} while the connector moves its tunnels (every node retires its tunnels on the previous
 * certificate, gracefully: replacements first). At most one renewal per connector per {@link #MIN_INTERVAL}.
 */
public final class RenewalHandler implements TunnelHandler.ConnectorEndpoint {
    public static final String PATH = "/connector/v1/renew";
    /** How long the certificate a renewal authenticated with stays accepted. */
    public static final Duration GRACE = Duration.ofHours(1);
    /** The shortest time between two renewals of one connector. */
    public static final Duration MIN_INTERVAL = Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(RenewalHandler.class);

    private final ServerKeys keys;
    private final ConnectorStore store;
    private final Clock clock;
    private volatile ConnectorRegistry.EventSink events = event -> { };

    public RenewalHandler(ServerKeys keys, ConnectorStore store, Clock clock) {
        this.keys = keys;
        this.store = store;
        this.clock = clock;
    }

    /** Where renewals are reported (the connector event log). */
    public void onEvent(ConnectorRegistry.EventSink sink) {
        this.events = sink;
    }

    /** Handles a renewal by the connector whose verified client certificate is {@code presented}. */
    @Override
    public void handle(Request request, Response response, Callback callback, X509Certificate presented, String connectorId)
            throws IOException {
        if (!"POST".equals(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "POST");
            Responses.problem(response, callback, 405, "Method not allowed", "use POST");
            return;
        }
        Instant now = clock.instant();
        String serial = presented.getSerialNumber().toString(16);
        Optional<ConnectorStore.Standing> standing = store.standing(connectorId, now);
        // Only the current certificate renews: the previous one carries tunnels for the grace, but renewing with it would let a
        // key stolen before a renewal mint a certificate for its holder, shut the connector out and stretch its own grace.
        if (standing.isEmpty() || standing.get().revoked() || !standing.get().certSerial().equals(serial)
                || !now.isBefore(presented.getNotAfter().toInstant())) {
            LOG.warn("refused certificate renewal: connector {} (serial {}) is unknown, revoked, expired or not on its current certificate",
                    connectorId, serial);
            Responses.problem(response, callback, 403, "Renewal refused",
                    "this certificate does not belong to a registered connector (or it expired); register again");
            return;
        }
        Optional<Instant> last = store.renewedAt(connectorId);
        if (last.isPresent() && now.isBefore(last.get().plus(MIN_INTERVAL))) {
            long wait = Duration.between(now, last.get().plus(MIN_INTERVAL)).toSeconds() + 1;
            response.getHeaders().put(HttpHeader.RETRY_AFTER, String.valueOf(wait));
            Responses.problem(response, callback, 429, "Renewed recently", "this connector renewed its certificate less than "
                    + MIN_INTERVAL.toMinutes() + " minutes ago; try again in " + wait + " s");
            return;
        }
        PKCS10CertificationRequest csr;
        try {
            RenewalRequest body = JsonBody.read(request, RenewalRequest.class);
            csr = Pem.parseCsr(body.csrPem());
            if (new JcaPKCS10CertificationRequest(csr).getPublicKey().equals(presented.getPublicKey())) {
                throw new CertificateAuthority.InvalidCsrException("the CSR must be for a new key pair, not the current one");
            }
        } catch (ValidationException e) {
            Responses.problem(response, callback, new Problem("about:blank", "Invalid renewal request", 400, e.getMessage(), e.errors()));
            return;
        } catch (CertificateAuthority.InvalidCsrException | GeneralSecurityException | RuntimeException e) {
            Responses.problem(response, callback, 400, "Invalid renewal request", e.getMessage() == null ? "unreadable CSR" : e.getMessage());
            return;
        }
        X509Certificate cert;
        try {
            cert = keys.connectorCa().signClientCsr(csr, connectorId, RegistrationHandler.CERT_VALIDITY);
        } catch (CertificateAuthority.InvalidCsrException e) {
            Responses.problem(response, callback, 400, "Invalid renewal request", e.getMessage());
            return;
        }
        Instant previousValidUntil = now.plus(GRACE).isBefore(presented.getNotAfter().toInstant()) ? now.plus(GRACE)
                : presented.getNotAfter().toInstant();
        String newSerial = cert.getSerialNumber().toString(16);
        if (!store.renew(connectorId, serial, newSerial, cert.getNotAfter().toInstant(), now, previousValidUntil)) {
            Responses.problem(response, callback, 409, "Renewal refused", "the connector was revoked or renewed meanwhile");
            return;
        }
        LOG.info("connector {} renewed its certificate: serial {} -> {}, valid until {}", connectorId, serial, newSerial, cert.getNotAfter().toInstant());
        events.event(new ConnectorEventRecord(connectorId, ConnectorEventType.CERTIFICATE_RENEWED,
                "new certificate valid until " + cert.getNotAfter().toInstant() + "; the previous one is accepted until " + previousValidUntil));
        Responses.json(response, callback, 200, new RenewalResponse(Pem.encode(cert), cert.getNotAfter().toInstant(), previousValidUntil));
    }
}
