package dev.drawbridge.connector.identity;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import static org.assertj.core.api.Assertions.assertThat;

/** When a certificate is due for renewal, and a renewal cut short between its two files still leaving a working identity. */
class RenewalDueTest {
    private static final Instant ISSUED = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private static KeyPair keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate cert(KeyPair subject, long serial, Duration validity) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(new X500Name("CN=ca"), BigInteger.valueOf(serial),
                Date.from(ISSUED), Date.from(ISSUED.plus(validity)), new X500Name("CN=c1,OU=connector"), subject.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(subject.getPrivate())));
    }

    @Test
    void dueOnceHalfTheValidityHasPassed() throws Exception {
        X509Certificate c = cert(keys(), 1, Duration.ofDays(365));
        assertThat(CertificateRenewal.due(c, ISSUED)).isFalse();
        assertThat(CertificateRenewal.due(c, ISSUED.plus(Duration.ofDays(182)))).isFalse();
        assertThat(CertificateRenewal.due(c, ISSUED.plus(Duration.ofDays(182).plusHours(13)))).isTrue();
        assertThat(CertificateRenewal.due(c, ISSUED.plus(Duration.ofDays(400)))).isTrue();
    }

    @Test
    void aRenewalCutShortBetweenKeyAndCertificateLoadsThePreviousPair() throws Exception {
        KeyPair oldKeys = keys(), newKeys = keys(), caKeys = keys();
        X509Certificate ca = cert(caKeys, 9, Duration.ofDays(3650));
        ConnectorIdentity old = new ConnectorIdentity("c1", "https://admin.example.com", "wss://admin.example.com:8444/t",
                oldKeys.getPrivate(), cert(oldKeys, 1, Duration.ofDays(365)), ca);
        old.save(dir);
        ConnectorIdentity renewed = new ConnectorIdentity("c1", "https://admin.example.com", "wss://admin.example.com:8444/t",
                newKeys.getPrivate(), cert(newKeys, 2, Duration.ofDays(365)), ca);
        renewed.saveRenewed(dir);
        assertThat(ConnectorIdentity.load(dir).certificate().getSerialNumber()).isEqualTo(BigInteger.TWO);

        // As if the process died after writing the new key but before the new certificate.
        Files.writeString(dir.resolve("connector.crt"), Files.readString(dir.resolve("connector.crt.previous")));
        ConnectorIdentity loaded = ConnectorIdentity.load(dir);
        assertThat(loaded.certificate().getSerialNumber()).isEqualTo(BigInteger.ONE);
        assertThat(loaded.privateKey().getEncoded()).isEqualTo(oldKeys.getPrivate().getEncoded());
    }
}
