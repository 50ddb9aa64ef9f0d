package dev.drawbridge.tunnel.transport;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;

/** A throw-away CA and the server and client certificates it signs, for the component tests. */
final class TestPki {
    static final char[] PASSWORD = "changeit".toCharArray();

    private final KeyPair caKeys = keys();
    private final X509Certificate ca;

    TestPki(String name) throws Exception {
        X500Name subject = new X500Name("CN=" + name);
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(System.nanoTime()), from(), to(), subject, caKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        ca = sign(b);
    }

    /** A key store trusting this CA alone. */
    KeyStore trust() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca);
        return ks;
    }

    /** A key store holding a server key and its certificate for these DNS names (and 127.0.0.1). */
    KeyStore server(List<String> dnsNames) throws Exception {
        KeyPair keys = keys();
        GeneralName[] names = new GeneralName[dnsNames.size() + 1];
        for (int i = 0; i < dnsNames.size(); i++) {
            names[i] = new GeneralName(GeneralName.dNSName, dnsNames.get(i));
        }
        names[dnsNames.size()] = new GeneralName(GeneralName.iPAddress, "127.0.0.1");
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()),
                BigInteger.valueOf(System.nanoTime()), from(), to(), new X500Name("CN=" + dnsNames.getFirst()), keys.getPublic())
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        X509Certificate cert = sign(b);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", keys.getPrivate(), PASSWORD, new Certificate[]{cert, ca});
        return ks;
    }

    /** A key store holding a client key and its certificate, subject {@code CN=<name>} (a connector's shape). */
    KeyStore client(String name) throws Exception {
        KeyPair keys = keys();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()),
                BigInteger.valueOf(System.nanoTime()), from(), to(), new X500Name("CN=" + name), keys.getPublic());
        X509Certificate cert = sign(b);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("client", keys.getPrivate(), PASSWORD, new Certificate[]{cert, ca});
        return ks;
    }

    private X509Certificate sign(X509v3CertificateBuilder b) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
    }

    private static KeyPair keys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Date from() {
        return Date.from(Instant.now().minus(1, ChronoUnit.HOURS));
    }

    private static Date to() {
        return Date.from(Instant.now().plus(1, ChronoUnit.DAYS));
    }
}
