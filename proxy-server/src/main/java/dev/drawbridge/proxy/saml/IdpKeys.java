package dev.drawbridge.proxy.saml;

import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.pki.DataKey;
import dev.drawbridge.proxy.pki.Pem;
import dev.drawbridge.proxy.store.Database;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jooq.DSLContext;
import org.jooq.exception.IntegrityConstraintViolationException;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static dev.drawbridge.proxy.store.db.Tables.SAML_IDP_KEY;

/**
 * Each SAML app's identity provider key: RSA {@value #RSA_BITS}, with a self-signed certificate (what service providers
 * pin from the metadata), made on first use (metadata download or first sign-in) and audited then. The private key is
 * stored sealed with the server's {@link DataKey}, like every secret in the database, and never leaves the server; one
 * app's key signs nothing for another app. Made once in a cluster: a node that loses the race reads the winner's key.
 */
public final class IdpKeys {
    static final int RSA_BITS = 3072;
    /** Service providers pin the certificate and rarely check its dates; long-lived, as Entra's and mellon's own are. */
    static final Duration VALIDITY = Duration.ofDays(3650);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** An app's signing key and certificate. */
    record IdpKey(PrivateKey key, X509Certificate certificate) {
    }

    private final DSLContext dsl;
    private final DataKey dataKey;
    private final Clock clock;
    private final AuditLog audit;
    private final Map<String, IdpKey> cache = new ConcurrentHashMap<>();

    public IdpKeys(Database db, DataKey dataKey, Clock clock, AuditLog audit) {
        this.dsl = db.dsl();
        this.dataKey = dataKey;
        this.clock = clock;
        this.audit = audit;
    }

    /** The app's key, made now if it has none; {@code actor} is who the audit log names as making it. */
    IdpKey forApp(String appId, String actor) {
        IdpKey known = cache.get(appId);
        if (known != null) {
            return known;
        }
        IdpKey key = stored(appId).orElseGet(() -> create(appId, actor));
        cache.put(appId, key);
        return key;
    }

    private Optional<IdpKey> stored(String appId) {
        return dsl.selectFrom(SAML_IDP_KEY).where(SAML_IDP_KEY.APP_ID.eq(appId)).fetchOptional()
                .map(r -> new IdpKey(privateKey(dataKey.decrypt(r.getKeyEncrypted())), certificate(r.getCertificatePem())));
    }

    private IdpKey create(String appId, String actor) {
        IdpKey key = generate(appId, clock.instant());
        try {
            dsl.insertInto(SAML_IDP_KEY).set(SAML_IDP_KEY.APP_ID, appId).set(SAML_IDP_KEY.CERTIFICATE_PEM, Pem.encode(key.certificate()))
                    .set(SAML_IDP_KEY.KEY_ENCRYPTED, dataKey.encrypt(Base64.getEncoder().encodeToString(key.key().getEncoded())))
                    .set(SAML_IDP_KEY.CREATED_AT, clock.instant().atOffset(ZoneOffset.UTC)).execute();
        } catch (IntegrityConstraintViolationException raced) {
            // Another node (or request) made one first: that one is the app's key.
            return stored(appId).orElseThrow(() -> raced);
        }
        audit.record(actor, "app.saml.idp-certificate.create", "app", appId, null, Map.of("sha256", Pem.sha256(key.certificate()),
                "subject", key.certificate().getSubjectX500Principal().getName(), "notAfter", key.certificate().getNotAfter().toInstant()));
        return key;
    }

    /** A new key and a self-signed certificate (CN names the app), valid from a minute ago for {@link #VALIDITY}. */
    static IdpKey generate(String appId, Instant now) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(RSA_BITS);
            KeyPair kp = g.generateKeyPair();
            X500Name name = new X500Name("CN=Drawbridge SAML " + appId.replaceAll("[^A-Za-z0-9-]", "") + ",O=Drawbridge");
            var builder = new JcaX509v3CertificateBuilder(name, new BigInteger(127, RANDOM).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofMinutes(1))), Date.from(now.plus(VALIDITY)), name, kp.getPublic())
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate())));
            return new IdpKey(kp.getPrivate(), cert);
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("cannot make a SAML signing key", e);
        }
    }

    private static PrivateKey privateKey(String base64) {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored SAML signing key cannot be read", e);
        }
    }

    private static X509Certificate certificate(String pem) {
        try {
            return Pem.parseCertificate(pem);
        } catch (CertificateException e) {
            throw new IllegalStateException("a stored SAML certificate cannot be read", e);
        }
    }
}
