package dev.drawbridge.proxy.pki;

import dev.drawbridge.model.api.CertificateUpload;
import dev.drawbridge.model.api.CertificateView;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.db.tables.records.TlsCertificateRecord;
import dev.drawbridge.proxy.web.ValidationException;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.drawbridge.proxy.store.db.Tables.TLS_CERTIFICATE;

/**
 * TLS certificates uploaded for custom domains (PEM chain + key, or PKCS#12): app certificates, which an application
 * administrator may upload. The public listener serves one whenever a client's SNI names a host it covers; apps
 * may then be published on those hosts. None is ever served for the server's own hosts ({@link OwnHosts}), and an
 * upload any of whose names (subjectAltName or CN, wildcards read as loosely as any client might) reaches one is
 * refused naming the host: those hosts' TLS belongs to global administrators ({@link ServerCertificateStore}).
 * Private keys are stored sealed with the data key and never leave the server again.
 */
public final class CertificateStore {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateStore.class);

    /** A loaded certificate for the TLS key manager. */
    public record Loaded(String id, List<String> hosts, X509Certificate[] chain, PrivateKey key) {
        public boolean covers(String host) {
            return hosts.stream().anyMatch(h -> HostNames.covers(h, host));
        }

        boolean exactly(String host) {
            return hosts.contains(HostNames.canonical(host));
        }

        boolean validAt(Instant now) {
            return chain[0].getNotAfter().toInstant().isAfter(now);
        }
    }

    private final DSLContext dsl;
    private final DataKey dataKey;
    private final Clock clock;
    private final OwnHosts own;
    private volatile List<Loaded> loaded = List.of();

    public CertificateStore(Database db, DataKey dataKey, Clock clock, OwnHosts own) {
        this.dsl = db.dsl();
        this.dataKey = dataKey;
        this.clock = clock;
        this.own = own;
        reload();
    }

    /** Re-reads the table (after a change here or on another node). */
    public void reload() {
        List<Loaded> all = new ArrayList<>();
        for (var r : dsl.selectFrom(TLS_CERTIFICATE).fetch()) {
            try {
                ParsedCertificate c = ParsedCertificate.stored(r.getChainPem(), dataKey.decrypt(r.getKeyEncrypted()));
                all.add(new Loaded(r.getId(), c.hosts(), c.chain(), c.key()));
                c.allNames().stream().map(own::reachedBy).flatMap(Optional::stream).findFirst().ifPresent(h -> LOG.warn(
                        "stored certificate {} covers the server's own host {}; it is never served for it (upload it again without that name)",
                        r.getId(), h));
            } catch (ValidationException | RuntimeException e) {
                LOG.warn("stored certificate {} cannot be loaded: {}", r.getId(), e.getMessage());
            }
        }
        loaded = List.copyOf(all);
    }

    /**
     * The certificate to serve for {@code host}: an exact name before a wildcard, then the latest expiry; only valid
     * ones; never for the server's own hosts.
     */
    public Optional<Loaded> find(String host) {
        String h = HostNames.canonical(host);
        if (own.contains(h)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return loaded.stream().filter(l -> l.covers(h) && l.validAt(now))
                .max(Comparator.<Loaded, Boolean>comparing(l -> l.exactly(h)).thenComparing(l -> l.chain()[0].getNotAfter()));
    }

    /** A loaded certificate by id (for the TLS key manager's aliases). */
    public Optional<Loaded> byId(String id) {
        return loaded.stream().filter(l -> l.id().equals(id)).findFirst();
    }

    /** Whether some uploaded certificate covers {@code host} (apps may be published on it). */
    public boolean covers(String host) {
        return find(host).isPresent();
    }

    public List<CertificateView> list() {
        return dsl.selectFrom(TLS_CERTIFICATE).orderBy(TLS_CERTIFICATE.NOT_AFTER).fetch(this::view);
    }

    public Optional<CertificateView> get(String id) {
        return Optional.ofNullable(dsl.selectFrom(TLS_CERTIFICATE).where(TLS_CERTIFICATE.ID.eq(id)).fetchOne()).map(this::view);
    }

    public boolean delete(String id) {
        boolean gone = dsl.deleteFrom(TLS_CERTIFICATE).where(TLS_CERTIFICATE.ID.eq(id)).execute() > 0;
        reload();
        return gone;
    }

    /** Validates and stores an upload; every problem names the field. */
    public CertificateView add(CertificateUpload u) throws ValidationException {
        ParsedCertificate c = ParsedCertificate.parse(u, clock.instant());
        for (String name : c.allNames()) {
            Optional<String> reached = own.reachedBy(name);
            if (reached.isPresent()) {
                throw new ValidationException(c.field(), "the certificate names " + name + ", which covers " + reached.get()
                        + ", one of the server's own hosts; app certificates are never served for them (the sign-in host's"
                        + " certificate is set by a global administrator: PUT /api/v1/server-certificate)");
            }
        }
        X509Certificate leaf = c.leaf();
        String fingerprint = Pem.sha256(leaf);
        if (dsl.fetchExists(TLS_CERTIFICATE, TLS_CERTIFICATE.FINGERPRINT.eq(fingerprint))) {
            throw new ValidationException(c.field(), "this certificate is already uploaded");
        }
        String id = UUID.randomUUID().toString();
        dsl.insertInto(TLS_CERTIFICATE).set(TLS_CERTIFICATE.ID, id).set(TLS_CERTIFICATE.HOSTS, String.join(",", c.hosts()))
                .set(TLS_CERTIFICATE.SUBJECT, cut(leaf.getSubjectX500Principal().getName(), 1000))
                .set(TLS_CERTIFICATE.ISSUER, cut(leaf.getIssuerX500Principal().getName(), 1000))
                .set(TLS_CERTIFICATE.NOT_BEFORE, leaf.getNotBefore().toInstant().atOffset(ZoneOffset.UTC))
                .set(TLS_CERTIFICATE.NOT_AFTER, leaf.getNotAfter().toInstant().atOffset(ZoneOffset.UTC))
                .set(TLS_CERTIFICATE.FINGERPRINT, fingerprint).set(TLS_CERTIFICATE.CHAIN_PEM, c.chainPem())
                .set(TLS_CERTIFICATE.KEY_ENCRYPTED, dataKey.encrypt(c.keyPem())).set(TLS_CERTIFICATE.CREATED_AT, clock.instant().atOffset(ZoneOffset.UTC))
                .execute();
        reload();
        LOG.info("certificate {} uploaded for {} (expires {})", id, c.hosts(), leaf.getNotAfter().toInstant());
        return get(id).orElseThrow();
    }

    private CertificateView view(TlsCertificateRecord r) {
        Instant notAfter = r.getNotAfter().toInstant();
        return new CertificateView(r.getId(), List.of(r.getHosts().split(",")), r.getSubject(), r.getIssuer(), r.getNotBefore().toInstant(),
                notAfter, r.getFingerprint(), r.getCreatedAt().toInstant(), Duration.between(clock.instant(), notAfter).toDays());
    }

    static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
