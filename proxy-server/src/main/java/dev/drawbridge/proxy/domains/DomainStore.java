package dev.drawbridge.proxy.domains;

import dev.drawbridge.model.api.CertificateUpload;
import dev.drawbridge.model.api.CertificateView;
import dev.drawbridge.model.api.DnsRecord;
import dev.drawbridge.model.api.DomainStatus;
import dev.drawbridge.model.api.DomainView;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.RouteTable;
import dev.drawbridge.proxy.pki.CertificateStore;
import dev.drawbridge.proxy.pki.DataKey;
import dev.drawbridge.proxy.pki.HostNames;
import dev.drawbridge.proxy.pki.OwnHosts;
import dev.drawbridge.proxy.pki.ParsedCertificate;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.db.tables.records.CustomDomainRecord;
import dev.drawbridge.proxy.web.ValidationException;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static dev.drawbridge.proxy.store.db.Tables.CUSTOM_DOMAIN;

/**
 * Custom domains: added by a global administrator before apps are published on them ({@link #covers}, which app
 * validation asks). Each shows the DNS records to create (CNAME to the server's name) and whether its hosts have a
 * certificate; its certificate is uploaded here (PEM chain and key, or PKCS#12), or issued for a key and CSR created
 * here ({@link DomainCsr}; the key sealed with the data key until the issued chain, which must match it, is uploaded).
 * Either way it must name the domain or its wildcard, and is stored as an app certificate ({@link CertificateStore}:
 * served by SNI, never for the server's own hosts).
 */
public final class DomainStore {
    private static final Logger LOG = LoggerFactory.getLogger(DomainStore.class);
    private static final String FIELD = "name";

    private final DSLContext dsl;
    private final DataKey dataKey;
    private final Clock clock;
    private final String serverDomain;
    private final OwnHosts own;
    private final CertificateStore certificates;
    private final Predicate<String> served;
    private final Supplier<RouteTable> routes;

    /**
     * @param serverDomain the server's own domain (its apps need no custom domain)
     * @param served       whether a valid certificate is served for a host (an app certificate or the server certificate)
     */
    public DomainStore(Database db, DataKey dataKey, Clock clock, String serverDomain, OwnHosts own, CertificateStore certificates,
                       Predicate<String> served, Supplier<RouteTable> routes) {
        this.dsl = db.dsl();
        this.dataKey = dataKey;
        this.clock = clock;
        this.serverDomain = HostNames.canonical(serverDomain);
        this.own = own;
        this.certificates = certificates;
        this.served = served;
        this.routes = routes;
    }

    /** Whether app host {@code host} (possibly a wildcard host) lies on an added domain. */
    public boolean covers(String host) {
        return dsl.select(CUSTOM_DOMAIN.NAME).from(CUSTOM_DOMAIN).fetch(CUSTOM_DOMAIN.NAME).stream()
                .anyMatch(d -> DomainNames.covers(d, host));
    }

    public List<DomainView> list() {
        return dsl.selectFrom(CUSTOM_DOMAIN).orderBy(CUSTOM_DOMAIN.NAME).fetch(this::view);
    }

    public Optional<DomainView> get(String id) {
        return record(id).map(this::view);
    }

    /** Adds a domain; refused naming the field when it is no domain name, the server's own domain or above it, or already added. */
    public DomainView add(String value) throws ValidationException, ConflictException {
        String name = switch (DomainNames.read(value)) {
            case DomainNames.Result.Good g -> g.name();
            case DomainNames.Result.Bad b -> throw new ValidationException(FIELD, b.reason());
        };
        if (DomainNames.covers(name, serverDomain) || own.all().stream().anyMatch(h -> DomainNames.covers(name, h))) {
            throw new ValidationException(FIELD, "'" + name + "' is the server's own domain " + serverDomain + " or contains it; apps on "
                    + serverDomain + " need no custom domain");
        }
        if (dsl.fetchExists(CUSTOM_DOMAIN, CUSTOM_DOMAIN.NAME.eq(name))) {
            throw new ConflictException(FIELD, "the domain " + name + " is already added");
        }
        String id = UUID.randomUUID().toString();
        dsl.insertInto(CUSTOM_DOMAIN).set(CUSTOM_DOMAIN.ID, id).set(CUSTOM_DOMAIN.NAME, name)
                .set(CUSTOM_DOMAIN.CREATED_AT, clock.instant().atOffset(ZoneOffset.UTC)).execute();
        LOG.info("custom domain {} added", name);
        return get(id).orElseThrow();
    }

    /** Removes a domain; refused while an app is published on it (its certificate stays among the app certificates). */
    public boolean delete(String id) throws ConflictException {
        Optional<CustomDomainRecord> r = record(id);
        if (r.isEmpty()) {
            return false;
        }
        List<String> hosts = hostsOn(r.get().getName());
        if (!hosts.isEmpty()) {
            throw new ConflictException(FIELD, "apps are published on " + r.get().getName() + " (" + String.join(", ", hosts)
                    + "); move or delete them first");
        }
        return dsl.deleteFrom(CUSTOM_DOMAIN).where(CUSTOM_DOMAIN.ID.eq(id)).execute() > 0;
    }

    /** Creates a new key and CSR for the domain (replacing a pending one), for a CA to issue its certificate. */
    public Optional<DomainView> createCsr(String id) {
        Optional<CustomDomainRecord> r = record(id);
        if (r.isEmpty()) {
            return Optional.empty();
        }
        DomainCsr csr = DomainCsr.create(r.get().getName());
        dsl.update(CUSTOM_DOMAIN).set(CUSTOM_DOMAIN.CSR_PEM, csr.csrPem()).set(CUSTOM_DOMAIN.PENDING_KEY_ENCRYPTED, dataKey.encrypt(csr.keyPem()))
                .where(CUSTOM_DOMAIN.ID.eq(id)).execute();
        LOG.info("certificate signing request created for custom domain {}", r.get().getName());
        return get(id);
    }

    /**
     * Stores the domain's certificate: a chain with its key (PEM or PKCS#12), or the chain alone, issued for the pending
     * CSR, which is paired with that CSR's key. It must name the domain or its wildcard.
     */
    public Optional<DomainView> uploadCertificate(String id, CertificateUpload upload) throws ValidationException {
        Optional<CustomDomainRecord> r = record(id);
        if (r.isEmpty()) {
            return Optional.empty();
        }
        String name = r.get().getName();
        if (upload == null) {
            throw new ValidationException("pem", "send {\"pem\": chain (and key)} or {\"pkcs12\": base64, \"password\": ...}");
        }
        CertificateUpload u = upload;
        boolean paired = upload.pem() != null && !upload.pem().isBlank() && !upload.pem().contains("PRIVATE KEY-----");
        if (paired) {
            if (r.get().getPendingKeyEncrypted() == null) {
                throw new ValidationException("pem", "the upload has no private key and no certificate signing request is pending for "
                        + name + "; upload the chain with its key, or create a CSR first");
            }
            u = CertificateUpload.pem(upload.pem().strip() + "\n" + dataKey.decrypt(r.get().getPendingKeyEncrypted()));
        }
        ParsedCertificate c;
        try {
            c = ParsedCertificate.parse(u, clock.instant());
        } catch (ValidationException e) {
            if (paired) {
                throw new ValidationException("pem", "the certificate does not go with the key of " + name + "'s certificate signing request"
                        + " (" + e.getMessage() + "); upload the certificate the CA issued for that CSR");
            }
            throw e;
        }
        if (c.hosts().stream().noneMatch(h -> HostNames.covers(h, name) || HostNames.covers(h, "*." + name))) {
            throw new ValidationException(c.field(), "the certificate names " + c.hosts() + ", neither " + name + " nor *." + name);
        }
        CertificateView stored = certificates.add(u);
        dsl.update(CUSTOM_DOMAIN).set(CUSTOM_DOMAIN.CERTIFICATE_ID, stored.id()).setNull(CUSTOM_DOMAIN.CSR_PEM)
                .setNull(CUSTOM_DOMAIN.PENDING_KEY_ENCRYPTED).where(CUSTOM_DOMAIN.ID.eq(id)).execute();
        LOG.info("certificate {} stored for custom domain {}", stored.id(), name);
        return get(id);
    }

    private Optional<CustomDomainRecord> record(String id) {
        return Optional.ofNullable(dsl.selectFrom(CUSTOM_DOMAIN).where(CUSTOM_DOMAIN.ID.eq(id)).fetchOne());
    }

    private List<String> hostsOn(String domain) {
        return routes.get().apps().stream().map(PublishedApp::externalHost).filter(h -> DomainNames.covers(domain, h)).distinct()
                .sorted().toList();
    }

    private DomainView view(CustomDomainRecord r) {
        String name = r.getName();
        List<String> hosts = hostsOn(name);
        List<String> uncovered = hosts.stream().filter(h -> !served.test(h)).toList();
        boolean pending = r.getCsrPem() != null;
        DomainStatus status = pending ? DomainStatus.CSR_PENDING
                : (hosts.isEmpty() ? served.test("*." + name) || served.test(name) : uncovered.isEmpty()) ? DomainStatus.READY
                : DomainStatus.CERTIFICATE_MISSING;
        return new DomainView(r.getId(), name, status, records(name, hosts), r.getCertificateId(), r.getCsrPem(), uncovered,
                r.getCreatedAt().toInstant());
    }

    /** A CNAME for the domain's wildcard (its hosts one label under it), and one for each published host it does not cover. */
    private List<DnsRecord> records(String name, List<String> hosts) {
        String target = own.login();
        Set<String> names = new LinkedHashSet<>();
        names.add("*." + name);
        for (String h : hosts) {
            if (!HostNames.covers("*." + name, h)) {
                names.add(h);
            }
        }
        List<DnsRecord> out = new ArrayList<>();
        names.forEach(n -> out.add(new DnsRecord(n, "CNAME", target)));
        return out;
    }
}
