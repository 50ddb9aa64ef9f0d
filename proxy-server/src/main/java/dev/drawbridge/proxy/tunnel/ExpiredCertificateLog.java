package dev.drawbridge.proxy.tunnel;

import dev.drawbridge.model.api.ConnectorEventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Records {@code CERTIFICATE_EXPIRED} in the connector event log when the tunnel port refuses a registered connector's
 * expired client certificate at the TLS handshake (where the refusal is decided: {@code ExpiryReportingTrustManager}), so
 * that a connector that expired while it was offline shows up too (the registry's recheck records only tunnels cut while
 * up). At most once per certificate per {@link #EVERY}: a connector (or its service restarting it) retrying every few
 * seconds writes one line an hour, and the limit is checked before the database is asked. Only certificates the connector
 * CA signed reach it, so their common names are connector ids the server issued (the map is bounded by the certificates
 * the CA issued); unknown and revoked connectors are not recorded (a revoked one has its own event), nor is a certificate
 * that is not the connector's current one (the TLS handshake judges the certificate before the client proves it holds
 * the key, so whoever has a copy of an old one could present it).
 */
public final class ExpiredCertificateLog {
    private static final Logger LOG = LoggerFactory.getLogger(ExpiredCertificateLog.class);
    /** How often one connector's refusals are recorded at most. */
    public static final Duration EVERY = Duration.ofHours(1);

    private final ConnectorStore store;
    private final Clock clock;
    private final Map<String, Instant> last = new ConcurrentHashMap<>();
    private volatile Consumer<ConnectorEventRecord> events = e -> { };

    public ExpiredCertificateLog(ConnectorStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Where the events go (the connector event log, once it exists). */
    public void onEvent(Consumer<ConnectorEventRecord> sink) {
        this.events = sink;
    }

    /** The tunnel port refused {@code certificate} (signed by the connector CA) because it has expired. */
    public void refused(X509Certificate certificate) {
        Optional<String> id = TunnelHandler.commonName(certificate);
        if (id.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        String serial = certificate.getSerialNumber().toString(16);
        AtomicBoolean due = new AtomicBoolean();
        // Keyed by certificate, not connector: a copy of an older certificate cannot use up the hour of the current one.
        last.compute(serial, (k, was) -> {
            if (was == null || !now.isBefore(was.plus(EVERY))) {
                due.set(true);
                return now;
            }
            return was;
        });
        if (!due.get()) {
            return;
        }
        try {
            Optional<ConnectorStore.Connector> c = store.findConnector(id.get());
            // Only the connector's current certificate: an older one (replaced by a renewal, expiring later on its own) says
            // nothing about the connector, and anybody holding a copy could present it (the key is proved after this check).
            if (c.isEmpty() || c.get().revokedAt().isPresent() || !c.get().certSerial().equalsIgnoreCase(serial)) {
                return;
            }
            Instant notAfter = certificate.getNotAfter().toInstant();
            LOG.warn("refused a tunnel of connector {}: its certificate (serial {}) expired at {}", id.get(),
                    serial, notAfter);
            events.accept(new ConnectorEventRecord(id.get(), ConnectorEventType.CERTIFICATE_EXPIRED, "refused a tunnel: its certificate"
                    + " (serial " + serial + ") expired at " + notAfter
                    + "; register the connector again"));
        } catch (RuntimeException e) {
            LOG.warn("cannot record the expired certificate of connector {}: {}", id.get(), e.toString());
        }
    }
}
