package dev.drawbridge.proxy.pki;

import dev.drawbridge.model.api.CertificateUpload;
import dev.drawbridge.model.api.CertificateView;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.db.tables.records.ServerCertificateRecord;
import dev.drawbridge.proxy.web.ValidationException;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.drawbridge.proxy.store.db.Tables.SERVER_CERTIFICATE;

/**
 * The certificate of the server's sign-in host (e.g. one from a public CA, so users' browsers trust the sign-in
 * page without the server CA): one at a time, set and removed by a global administrator only
 * ({@code SERVER_CERTIFICATES_WRITE}), stored apart from app certificates. It must cover the sign-in host; it is
 * served there, and for app hosts it covers that no app certificate covers (a wildcard for the whole domain), on
 * the public listener only. Never for the admin host, whose server-CA certificate connectors pin when they
 * register, and never on the tunnel listener.
 */
public final class ServerCertificateStore {
    private static final Logger LOG = LoggerFactory.getLogger(ServerCertificateStore.class);

    private final DSLContext dsl;
    private final DataKey dataKey;
    private final Clock clock;
    private final OwnHosts own;
    private volatile Optional<CertificateStore.Loaded> loaded = Optional.empty();

    public ServerCertificateStore(Database db, DataKey dataKey, Clock clock, OwnHosts own) {
        this.dsl = db.dsl();
        this.dataKey = dataKey;
        this.clock = clock;
        this.own = own;
        reload();
    }

    /** Re-reads the table (after a change here or on another node). */
    public void reload() {
        Optional<CertificateStore.Loaded> next = Optional.empty();
        var r = dsl.selectFrom(SERVER_CERTIFICATE).orderBy(SERVER_CERTIFICATE.CREATED_AT.desc()).limit(1).fetchOne();
        if (r != null) {
            try {
                ParsedCertificate c = ParsedCertificate.stored(r.getChainPem(), dataKey.decrypt(r.getKeyEncrypted()));
                next = Optional.of(new CertificateStore.Loaded(r.getId(), c.hosts(), c.chain(), c.key()));
            } catch (ValidationException | RuntimeException e) {
                LOG.warn("the stored server certificate {} cannot be loaded: {}", r.getId(), e.getMessage());
            }
        }
        loaded = next;
    }

    /**
     * The certificate to serve for {@code host} on the public listener: the server certificate if it is valid and
     * covers the host, never for the admin host.
     */
    public Optional<CertificateStore.Loaded> find(String host) {
        String h = HostNames.canonical(host);
        if (h.equals(own.admin())) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return loaded.filter(l -> l.covers(h) && l.validAt(now));
    }

    /** The loaded certificate if its id is {@code id} (for the TLS key manager's aliases). */
    public Optional<CertificateStore.Loaded> byId(String id) {
        return loaded.filter(l -> l.id().equals(id));
    }

    public Optional<CertificateView> get() {
        return Optional.ofNullable(dsl.selectFrom(SERVER_CERTIFICATE).orderBy(SERVER_CERTIFICATE.CREATED_AT.desc()).limit(1).fetchOne())
                .map(this::view);
    }

    /** Removes the server certificate: the sign-in host presents the server CA's certificate again. */
    public boolean delete() {
        boolean gone = dsl.deleteFrom(SERVER_CERTIFICATE).execute() > 0;
        reload();
        return gone;
    }

    /** Validates an upload and makes it the server certificate, replacing the previous one; every problem names the field. */
    public CertificateView put(CertificateUpload u) throws ValidationException {
        ParsedCertificate c = ParsedCertificate.parse(u, clock.instant());
        if (c.hosts().stream().noneMatch(h -> HostNames.covers(h, own.login()))) {
            throw new ValidationException(c.field(), "the certificate does not cover the sign-in host " + own.login() + " (it names "
                    + c.hosts() + "); the admin host " + own.admin() + " always presents the server CA's certificate, which connectors pin");
        }
        X509Certificate leaf = c.leaf();
        String id = UUID.randomUUID().toString();
        Instant now = clock.instant();
        dsl.transaction(tx -> {
            tx.dsl().deleteFrom(SERVER_CERTIFICATE).execute();
            tx.dsl().insertInto(SERVER_CERTIFICATE).set(SERVER_CERTIFICATE.ID, id).set(SERVER_CERTIFICATE.HOSTS, String.join(",", c.hosts()))
                    .set(SERVER_CERTIFICATE.SUBJECT, CertificateStore.cut(leaf.getSubjectX500Principal().getName(), 1000))
                    .set(SERVER_CERTIFICATE.ISSUER, CertificateStore.cut(leaf.getIssuerX500Principal().getName(), 1000))
                    .set(SERVER_CERTIFICATE.NOT_BEFORE, leaf.getNotBefore().toInstant().atOffset(ZoneOffset.UTC))
                    .set(SERVER_CERTIFICATE.NOT_AFTER, leaf.getNotAfter().toInstant().atOffset(ZoneOffset.UTC))
                    .set(SERVER_CERTIFICATE.FINGERPRINT, Pem.sha256(leaf)).set(SERVER_CERTIFICATE.CHAIN_PEM, c.chainPem())
                    .set(SERVER_CERTIFICATE.KEY_ENCRYPTED, dataKey.encrypt(c.keyPem()))
                    .set(SERVER_CERTIFICATE.CREATED_AT, now.atOffset(ZoneOffset.UTC)).execute();
        });
        reload();
        LOG.info("server certificate {} set for {} (expires {})", id, c.hosts(), leaf.getNotAfter().toInstant());
        return get().orElseThrow();
    }

    private CertificateView view(ServerCertificateRecord r) {
        Instant notAfter = r.getNotAfter().toInstant();
        return new CertificateView(r.getId(), List.of(r.getHosts().split(",")), r.getSubject(), r.getIssuer(),
                r.getNotBefore().toInstant(), notAfter, r.getFingerprint(), r.getCreatedAt().toInstant(),
                Duration.between(clock.instant(), notAfter).toDays());
    }
}
