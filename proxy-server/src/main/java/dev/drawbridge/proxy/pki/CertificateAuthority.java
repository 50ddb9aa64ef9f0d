package dev.drawbridge.proxy.pki;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * A certificate authority kept by the server: one signs the server's TLS certificates, another
 * signs connectors' client certificates from their CSRs. Keys are EC P-256, signatures SHA256withECDSA.
 */
public final class CertificateAuthority {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final Clock clock;

    public CertificateAuthority(X509Certificate certificate, PrivateKey privateKey, Clock clock) {
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.clock = clock;
    }

    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 unavailable", e);
        }
    }

    /** A new self-signed CA valid for {@code validity}. */
    public static CertificateAuthority create(String commonName, Duration validity, Clock clock) {
        KeyPair kp = newKeyPair();
        Instant now = clock.instant();
        X500Name name = new X500Name("CN=" + commonName + ",O=Drawbridge");
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)), name, kp.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            return new CertificateAuthority(sign(b, kp.getPrivate()), kp.getPrivate(), clock);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot create CA " + commonName, e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /** A TLS server certificate for the given DNS names (wildcards allowed) and IP addresses. */
    public X509Certificate issueServerCertificate(PublicKey key, List<String> dnsNames, List<String> ips, Duration validity) {
        List<GeneralName> names = new ArrayList<>();
        dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
        ips.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
        try {
            X509v3CertificateBuilder b = leaf("CN=" + dnsNames.getFirst(), key, validity)
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            return sign(b, privateKey);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue server certificate", e);
        }
    }

    /**
     * Signs a connector's CSR (registration and renewal) after checking its key and its self-signature. The key must be
     * EC P-256 by its named curve, what every connector generates: another type or size (RSA of any length, another
     * curve, explicit curve parameters) is refused, so no client certificate carries a key weaker or stranger than the
     * CA's own. The subject is set by the server ({@code CN=<connectorId>}), never taken from the CSR.
     */
    public X509Certificate signClientCsr(PKCS10CertificationRequest csr, String connectorId, Duration validity)
            throws InvalidCsrException {
        AlgorithmIdentifier key = csr.getSubjectPublicKeyInfo().getAlgorithm();
        ASN1Encodable curve = key.getParameters();
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(key.getAlgorithm()) || !SECObjectIdentifiers.secp256r1.equals(curve)) {
            throw new InvalidCsrException("the CSR's key must be EC P-256 (secp256r1), the key a connector generates");
        }
        try {
            JcaPKCS10CertificationRequest jcsr = new JcaPKCS10CertificationRequest(csr);
            if (!jcsr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(jcsr.getPublicKey()))) {
                throw new InvalidCsrException("CSR signature does not verify");
            }
            X509v3CertificateBuilder b = leaf("CN=" + connectorId + ",OU=connector", jcsr.getPublicKey(), validity)
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            return sign(b, privateKey);
        } catch (OperatorCreationException | PKCSException | GeneralSecurityException
                 | CertIOException e) {
            throw new InvalidCsrException("CSR rejected: " + e.getMessage());
        }
    }

    private X509v3CertificateBuilder leaf(String subject, PublicKey key, Duration validity) throws GeneralSecurityException,
            CertIOException {
        Instant now = clock.instant();
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        return new JcaX509v3CertificateBuilder(certificate, serial(), Date.from(now.minus(Duration.ofMinutes(5))),
                Date.from(now.plus(validity)), new X500Name(subject), key)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate))
                .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
    }

    private static BigInteger serial() {
        return new BigInteger(128, RANDOM);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws GeneralSecurityException {
        try {
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    /** A CSR that cannot be signed. */
    public static final class InvalidCsrException extends Exception {
        public InvalidCsrException(String message) {
            super(message);
        }
    }
}
