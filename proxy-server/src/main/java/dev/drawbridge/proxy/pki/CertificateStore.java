package dev.drawbridge.proxy.pki;

import dev.drawbridge.proxy.apps.ValidationException;
import dev.drawbridge.proxy.store.Database;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import static dev.drawbridge.proxy.store.db.Tables.TLS_CERTIFICATE;

/**
 * TLS certificates uploaded for custom domains (PEM chain + key, or PKCS#12). The public listener serves
 * one whenever a client's SNI names a host it covers; apps may then be published on those hosts. Private
 * keys are stored sealed with the data key and never leave the server again.
 */
public final class CertificateStore {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateStore.class);
    private static final int MAX_UPLOAD = 200_000;

    /** What the admin API shows of a certificate (never its key). */
    public record View(String id, List<String> hosts, String subject, String issuer, Instant notBefore, Instant notAfter,
                       String fingerprintSha256, Instant createdAt, long daysLeft) {
    }

    /** An upload: either {@code pem} (certificates and an unencrypted private key) or {@code pkcs12} (base64) with {@code password}. */
    public record Upload(String pem, String pkcs12, String password) {
        @Override
        public String toString() {
            return "Upload[pem=" + (pem == null ? null : pem.length() + " chars") + ", pkcs12=" + (pkcs12 == null ? null : "***") + "]";
        }
    }

    /** A loaded certificate for the TLS key manager. */
    public record Loaded(String id, List<String> hosts, X509Certificate[] chain, PrivateKey key) {
        public boolean covers(String host) {
            return hosts.stream().anyMatch(h -> h.equals(host) || (h.startsWith("*.") && host.endsWith(h.substring(1))
                    && host.indexOf('.') == host.length() - h.length() + 1));
        }

        boolean exactly(String host) {
            return hosts.contains(host);
        }
    }

    private final DSLContext dsl;
    private final DataKey dataKey;
    private final Clock clock;
    private volatile List<Loaded> loaded = List.of();

    public CertificateStore(Database db, DataKey dataKey, Clock clock) {
        this.dsl = db.dsl();
        this.dataKey = dataKey;
        this.clock = clock;
        reload();
    }

    /** Re-reads the table (after a change here or on another node). */
    public void reload() {
        List<Loaded> all = new ArrayList<>();
        for (var r : dsl.selectFrom(TLS_CERTIFICATE).fetch()) {
            try {
                Parsed p = parsePem(r.getChainPem() + "\n" + dataKey.decrypt(r.getKeyEncrypted()));
                all.add(new Loaded(r.getId(), List.of(r.getHosts().split(",")), p.chain, p.key));
            } catch (ValidationException | RuntimeException e) {
                LOG.warn("stored certificate {} cannot be loaded: {}", r.getId(), e.getMessage());
            }
        }
        loaded = List.copyOf(all);
    }

    /** The certificate to serve for {@code host}: an exact name before a wildcard, then the latest expiry; only valid ones. */
    public Optional<Loaded> find(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        Instant now = clock.instant();
        return loaded.stream().filter(l -> l.covers(h) && l.chain()[0].getNotAfter().toInstant().isAfter(now))
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

    public List<View> list() {
        return dsl.selectFrom(TLS_CERTIFICATE).orderBy(TLS_CERTIFICATE.NOT_AFTER).fetch(r -> view(r));
    }

    public Optional<View> get(String id) {
        return Optional.ofNullable(dsl.selectFrom(TLS_CERTIFICATE).where(TLS_CERTIFICATE.ID.eq(id)).fetchOne()).map(this::view);
    }

    public boolean delete(String id) {
        boolean gone = dsl.deleteFrom(TLS_CERTIFICATE).where(TLS_CERTIFICATE.ID.eq(id)).execute() > 0;
        reload();
        return gone;
    }

    /** Validates and stores an upload; every problem names the field. */
    public View add(Upload u) throws ValidationException {
        if (u == null || (blank(u.pem()) == blank(u.pkcs12()))) {
            throw new ValidationException("pem", "send exactly one of pem (certificate chain and private key) or pkcs12 (base64)");
        }
        Parsed p;
        if (!blank(u.pem())) {
            if (u.pem().length() > MAX_UPLOAD) {
                throw new ValidationException("pem", "pem is larger than " + MAX_UPLOAD + " characters");
            }
            p = parsePem(u.pem());
        } else {
            if (u.pkcs12().length() > MAX_UPLOAD) {
                throw new ValidationException("pkcs12", "pkcs12 is larger than " + MAX_UPLOAD + " characters");
            }
            p = parsePkcs12(u.pkcs12(), u.password());
        }
        X509Certificate leaf = p.chain[0];
        Instant now = clock.instant();
        if (!leaf.getNotAfter().toInstant().isAfter(now)) {
            throw new ValidationException(field(u), "the certificate expired on " + leaf.getNotAfter().toInstant());
        }
        List<String> hosts = hosts(leaf);
        if (hosts.isEmpty()) {
            throw new ValidationException(field(u), "the certificate names no DNS host (subjectAltName dNSName)");
        }
        String fingerprint = Pem.sha256(leaf);
        if (dsl.fetchExists(TLS_CERTIFICATE, TLS_CERTIFICATE.FINGERPRINT.eq(fingerprint))) {
            throw new ValidationException(field(u), "this certificate is already uploaded");
        }
        StringBuilder chainPem = new StringBuilder();
        for (X509Certificate c : p.chain) {
            chainPem.append(Pem.encode(c));
        }
        String id = UUID.randomUUID().toString();
        dsl.insertInto(TLS_CERTIFICATE).set(TLS_CERTIFICATE.ID, id).set(TLS_CERTIFICATE.HOSTS, String.join(",", hosts))
                .set(TLS_CERTIFICATE.SUBJECT, cut(leaf.getSubjectX500Principal().getName(), 1000))
                .set(TLS_CERTIFICATE.ISSUER, cut(leaf.getIssuerX500Principal().getName(), 1000))
                .set(TLS_CERTIFICATE.NOT_BEFORE, leaf.getNotBefore().toInstant().atOffset(ZoneOffset.UTC))
                .set(TLS_CERTIFICATE.NOT_AFTER, leaf.getNotAfter().toInstant().atOffset(ZoneOffset.UTC))
                .set(TLS_CERTIFICATE.FINGERPRINT, fingerprint).set(TLS_CERTIFICATE.CHAIN_PEM, chainPem.toString())
                .set(TLS_CERTIFICATE.KEY_ENCRYPTED, dataKey.encrypt(pkcs8(p.key))).set(TLS_CERTIFICATE.CREATED_AT, now.atOffset(ZoneOffset.UTC))
                .execute();
        reload();
        LOG.info("certificate {} uploaded for {} (expires {})", id, hosts, leaf.getNotAfter().toInstant());
        return get(id).orElseThrow();
    }

    private record Parsed(X509Certificate[] chain, PrivateKey key) {
    }

    private static Parsed parsePem(String pem) throws ValidationException {
        List<X509Certificate> certs = new ArrayList<>();
        PrivateKey key = null;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
            JcaX509CertificateConverter x509 = new JcaX509CertificateConverter();
            Object o;
            while ((o = parser.readObject()) != null) {
                switch (o) {
                    case X509CertificateHolder h -> certs.add(x509.getCertificate(h));
                    case PEMKeyPair kp -> key = keys.getKeyPair(kp).getPrivate();
                    case PrivateKeyInfo pki -> key = keys.getPrivateKey(pki);
                    case org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo e ->
                            throw new ValidationException("pem", "the private key is encrypted; upload it unencrypted over this TLS connection, or as PKCS#12 with its password");
                    case org.bouncycastle.openssl.PEMEncryptedKeyPair e ->
                            throw new ValidationException("pem", "the private key is encrypted; upload it unencrypted over this TLS connection, or as PKCS#12 with its password");
                    default -> { }
                }
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new ValidationException("pem", "pem is not valid PEM: " + e.getMessage());
        }
        if (certs.isEmpty()) {
            throw new ValidationException("pem", "pem holds no CERTIFICATE block");
        }
        if (key == null) {
            throw new ValidationException("pem", "pem holds no PRIVATE KEY block");
        }
        return new Parsed(order(certs, key, "pem"), key);
    }

    private static Parsed parsePkcs12(String base64, String password) throws ValidationException {
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("pkcs12", "pkcs12 must be base64");
        }
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(new ByteArrayInputStream(der), password == null ? new char[0] : password.toCharArray());
            for (Enumeration<String> aliases = ks.aliases(); aliases.hasMoreElements(); ) {
                String alias = aliases.nextElement();
                if (ks.isKeyEntry(alias)) {
                    PrivateKey key = (PrivateKey) ks.getKey(alias, password == null ? new char[0] : password.toCharArray());
                    List<X509Certificate> chain = new ArrayList<>();
                    for (var c : ks.getCertificateChain(alias)) {
                        chain.add((X509Certificate) c);
                    }
                    return new Parsed(order(chain, key, "pkcs12"), key);
                }
            }
            throw new ValidationException("pkcs12", "the PKCS#12 file holds no private key entry");
        } catch (IOException e) {
            throw new ValidationException("password", "the PKCS#12 file cannot be opened: wrong password or damaged file");
        } catch (GeneralSecurityException e) {
            throw new ValidationException("pkcs12", "the PKCS#12 file cannot be read: " + e.getMessage());
        }
    }

    /** Leaf first (the certificate whose public key matches the private key), then the rest as given. */
    private static X509Certificate[] order(Collection<X509Certificate> certs, PrivateKey key, String field) throws ValidationException {
        X509Certificate leaf = certs.stream().filter(c -> matches(c, key)).findFirst().orElseThrow(
                () -> new ValidationException(field, "no certificate matches the private key"));
        List<X509Certificate> out = new ArrayList<>();
        out.add(leaf);
        certs.stream().filter(c -> c != leaf).forEach(out::add);
        return out.toArray(X509Certificate[]::new);
    }

    private static boolean matches(X509Certificate cert, PrivateKey key) {
        try {
            String alg = switch (key.getAlgorithm()) {
                case "RSA" -> "SHA256withRSA";
                case "EC" -> "SHA256withECDSA";
                case "Ed25519", "EdDSA" -> "Ed25519";
                default -> null;
            };
            if (alg == null) {
                return false;
            }
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(cert.getPublicKey());
            v.update(probe);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static List<String> hosts(X509Certificate leaf) {
        List<String> hosts = new ArrayList<>();
        try {
            if (leaf.getSubjectAlternativeNames() != null) {
                for (List<?> san : leaf.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(2).equals(san.get(0))) {
                        hosts.add(san.get(1).toString().toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            return List.of();
        }
        return hosts;
    }

    private static String pkcs8(PrivateKey key) {
        try {
            StringWriter w = new StringWriter();
            try (PemWriter pw = new PemWriter(w)) {
                PemObject o = new JcaPKCS8Generator(key, null).generate();
                pw.writeObject(o);
            }
            return w.toString();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a private key", e);
        }
    }

    private View view(dev.drawbridge.proxy.store.db.tables.records.TlsCertificateRecord r) {
        Instant notAfter = r.getNotAfter().toInstant();
        return new View(r.getId(), List.of(r.getHosts().split(",")), r.getSubject(), r.getIssuer(), r.getNotBefore().toInstant(),
                notAfter, r.getFingerprint(), r.getCreatedAt().toInstant(), Duration.between(clock.instant(), notAfter).toDays());
    }

    private static String field(Upload u) {
        return blank(u.pem()) ? "pkcs12" : "pem";
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
