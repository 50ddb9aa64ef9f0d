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
import dev.drawbridge.proxy.tunnel.ConnectorStore.IssuedRenewal;
import dev.drawbridge.proxy.tunnel.ConnectorStore.RenewalState;
import dev.drawbridge.proxy.tunnel.TunnelHandler;
import dev.drawbridge.proxy.web.JsonBody;
import dev.drawbridge.proxy.web.Responses;
import dev.drawbridge.proxy.web.ValidationException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code POST /connector/v1/renew} on the tunnel port: a connector renews its client certificate over its authenticated
 * channel, well before expiry (it asks once its certificate is older than half its validity, as Entra's connectors do at
 * 180 days). Authenticated by the certificate the TLS handshake verified (connector CA, validity); revoked, unknown and
 * expired certificates are refused.
 * <ul>
 *   <li>The connector's <b>current</b> certificate renews: the new certificate (same connector id, the CSR's new key, new
 *   serial) becomes the registered one, and the presented one stays accepted for {@link #GRACE} while the connector moves
 *   its tunnels (every node retires its tunnels on the previous certificate, gracefully: replacements first). At most one
 *   renewal per connector per {@link #MIN_INTERVAL}.</li>
 *   <li>Its <b>previous</b> certificate, during the grace, only fetches again what its renewal issued, for the same key
 *   (a connector whose answer was lost asks again with the key it kept pending): the same certificate, no new serial,
 *   no longer grace. Any other key is refused: a key stolen before a renewal must not mint a certificate for its holder,
 *   shut the connector out or stretch its own grace.</li>
 * </ul>
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
    /** When each connector last had a {@code CERTIFICATE_RENEWAL_REFUSED} event: one per {@link #MIN_INTERVAL} at most. */
    private final Map<String, Instant> refusalEvents = new ConcurrentHashMap<>();

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
        // To the millisecond, as the database keeps times: an answer fetched again must be the same as the first.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String serial = presented.getSerialNumber().toString(16);
        Optional<RenewalState> state = store.renewalState(connectorId);
        if (state.isPresent() && !state.get().revoked() && now.isBefore(presented.getNotAfter().toInstant())) {
            if (state.get().certSerial().equals(serial)) {
                renew(request, response, callback, presented, connectorId, state.get(), now);
                return;
            }
            Optional<IssuedRenewal> issued = state.get().last().filter(l -> l.fromSerial().equals(serial) && now.isBefore(l.previousValidUntil()));
            if (issued.isPresent()) {
                fetchAgain(request, response, callback, connectorId, serial, state.get(), issued.get());
                return;
            }
        }
        LOG.warn("refused certificate renewal: connector {} (serial {}) is unknown, revoked, expired or not on its current certificate",
                connectorId, serial);
        Responses.problem(response, callback, 403, "Renewal refused",
                "this certificate does not belong to a registered connector (or it expired); register again");
    }

    /** A renewal by the current certificate: rate-limited, a new certificate for a new key. */
    private void renew(Request request, Response response, Callback callback, X509Certificate presented, String connectorId,
                       RenewalState state, Instant now) throws IOException {
        String serial = presented.getSerialNumber().toString(16);
        if (state.renewedAt().isPresent() && now.isBefore(state.renewedAt().get().plus(MIN_INTERVAL))) {
            long wait = Duration.between(now, state.renewedAt().get().plus(MIN_INTERVAL)).toSeconds() + 1;
            response.getHeaders().put(HttpHeader.RETRY_AFTER, String.valueOf(wait));
            Responses.problem(response, callback, 429, "Renewed recently", "this connector renewed its certificate less than "
                    + MIN_INTERVAL.toMinutes() + " minutes ago; try again in " + wait + " s");
            return;
        }
        Optional<RenewalCsr> csr = csr(request, response, callback);
        if (csr.isEmpty()) {
            return;
        }
        if (csr.get().publicKey().equals(presented.getPublicKey())) {
            Responses.problem(response, callback, 400, "Invalid renewal request", "the CSR must be for a new key pair, not the current one");
            return;
        }
        X509Certificate cert;
        try {
            cert = keys.connectorCa().signClientCsr(csr.get().csr(), connectorId, RegistrationHandler.CERT_VALIDITY);
        } catch (CertificateAuthority.InvalidCsrException e) {
            Responses.problem(response, callback, 400, "Invalid renewal request", e.getMessage());
            return;
        }
        Instant previousValidUntil = now.plus(GRACE).isBefore(presented.getNotAfter().toInstant()) ? now.plus(GRACE)
                : presented.getNotAfter().toInstant();
        String newSerial = cert.getSerialNumber().toString(16);
        String pem = Pem.encode(cert);
        if (!store.renew(connectorId, serial, newSerial, cert.getNotAfter().toInstant(), now, previousValidUntil, pem, csr.get().keySha256())) {
            // Lost a race: a twin of this request (the connector asking again, the same pending key) may have won, whose
            // certificate is this request's answer too; anything else is a conflict.
            Optional<RenewalState> after = store.renewalState(connectorId);
            Optional<IssuedRenewal> twin = after.filter(s -> !s.revoked()).flatMap(RenewalState::last)
                    .filter(l -> l.fromSerial().equals(serial) && now.isBefore(l.previousValidUntil()) && csr.get().certified(l));
            if (twin.isPresent()) {
                answer(response, callback, connectorId, serial, after.get(), twin.get());
                return;
            }
            Responses.problem(response, callback, 409, "Renewal refused", "the connector was revoked or renewed meanwhile");
            return;
        }
        LOG.info("connector {} renewed its certificate: serial {} -> {}, valid until {}", connectorId, serial, newSerial, cert.getNotAfter().toInstant());
        events.event(new ConnectorEventRecord(connectorId, ConnectorEventType.CERTIFICATE_RENEWED,
                "new certificate valid until " + cert.getNotAfter().toInstant() + "; the previous one is accepted until " + previousValidUntil));
        Responses.json(response, callback, 200, new RenewalResponse(pem, cert.getNotAfter().toInstant(), previousValidUntil));
    }

    /**
     * A request by the previous certificate during its grace: the connector lost the answer of its renewal and asks again
     * with the same key. Nothing is written: the same certificate, the same grace.
     */
    private void fetchAgain(Request request, Response response, Callback callback, String connectorId, String serial,
                            RenewalState state, IssuedRenewal issued) throws IOException {
        Optional<RenewalCsr> csr = csr(request, response, callback);
        if (csr.isEmpty()) {
            return;
        }
        if (!csr.get().certified(issued)) {
            LOG.warn("refused certificate renewal: connector {} asked with its previous certificate (serial {}) for another key than the"
                    + " one its renewal certified; the previous key may be in other hands", connectorId, serial);
            if (refusalEventDue(connectorId)) {
                events.event(new ConnectorEventRecord(connectorId, ConnectorEventType.CERTIFICATE_RENEWAL_REFUSED,
                        "a renewal with the previous certificate (serial " + serial + ") asked for another key than the renewal certified"));
            }
            Responses.problem(response, callback, 403, "Renewal refused", "this certificate was renewed already, for another key: it cannot"
                    + " renew again; only the key that renewal certified fetches its certificate again");
            return;
        }
        answer(response, callback, connectorId, serial, state, issued);
    }

    /** Whether a refusal event is due for the connector (at most one per {@link #MIN_INTERVAL}), noting it if so. */
    private boolean refusalEventDue(String connectorId) {
        Instant now = clock.instant();
        boolean[] due = {false};
        refusalEvents.compute(connectorId, (k, last) -> {
            due[0] = last == null || !now.isBefore(last.plus(MIN_INTERVAL));
            return due[0] ? now : last;
        });
        return due[0];
    }

    /** Answers what the last renewal issued, provided it is still the connector's certificate. */
    private void answer(Response response, Callback callback, String connectorId, String serial, RenewalState state, IssuedRenewal issued)
            throws IOException {
        X509Certificate cert;
        try {
            cert = Pem.parseCertificate(issued.certPem());
        } catch (CertificateException e) {
            cert = null;
        }
        if (cert == null || !cert.getSerialNumber().toString(16).equals(state.certSerial())) {
            LOG.warn("refused certificate renewal: connector {} (previous serial {}): what its renewal issued is no longer its certificate",
                    connectorId, serial);
            Responses.problem(response, callback, 403, "Renewal refused", "this connector's certificate changed since; register again");
            return;
        }
        LOG.info("connector {} fetched its renewed certificate (serial {}) again with the previous one (serial {})", connectorId,
                state.certSerial(), serial);
        Responses.json(response, callback, 200, new RenewalResponse(issued.certPem(), cert.getNotAfter().toInstant(), issued.previousValidUntil()));
    }

    /** The request's CSR, its signature checked; empty when a 400 was answered. */
    private static Optional<RenewalCsr> csr(Request request, Response response, Callback callback) throws IOException {
        try {
            return Optional.of(RenewalCsr.of(Pem.parseCsr(JsonBody.read(request, RenewalRequest.class).csrPem())));
        } catch (ValidationException e) {
            Responses.problem(response, callback, new Problem("about:blank", "Invalid renewal request", 400, e.getMessage(), e.errors()));
        } catch (CertificateAuthority.InvalidCsrException e) {
            Responses.problem(response, callback, 400, "Invalid renewal request", e.getMessage());
        }
        return Optional.empty();
    }
}
