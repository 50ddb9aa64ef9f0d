package dev.drawbridge.proxy.pki;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Proves {@link CertificateAuthority}: a created CA is a self-signed CA certificate valid for the requested time;
 * server certificates carry the requested names and serverAuth; a connector's CSR is signed with the subject set
 * by the server (CN = connector id, never the CSR's), clientAuth only, and a CSR whose signature does not verify
 * is refused, as is one whose key is not EC P-256 (RSA of every size, other curves, P-256 by explicit parameters).
 */
class CertificateAuthorityTest {
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

    private final CertificateAuthority ca = CertificateAuthority.create("Test CA", Duration.ofDays(30), CLOCK);

    static String rdn(X509Certificate cert, String type) throws Exception {
        for (Rdn r : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
            if (r.getType().equalsIgnoreCase(type)) {
                return r.getValue().toString();
            }
        }
        return null;
    }

    static PKCS10CertificationRequest csr(String subject, KeyPair subjectKey, KeyPair signingKey) throws Exception {
        return new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), subjectKey.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(signingKey.getPrivate()));
    }

    @Test
    void createdCaIsSelfSignedCaCertificate() throws Exception {
        X509Certificate c = ca.certificate();
        c.verify(c.getPublicKey());
        c.checkValidity();
        assertThat(rdn(c, "CN")).isEqualTo("Test CA");
        assertThat(c.getIssuerX500Principal()).isEqualTo(c.getSubjectX500Principal());
        assertThat(c.getBasicConstraints()).as("is a CA").isGreaterThanOrEqualTo(0);
        assertThat(c.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(c.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(30)));
        assertThat(c.getNotBefore().toInstant()).isBefore(NOW);
        assertThat(c.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(ca.privateKey().getAlgorithm()).isEqualTo("EC");
        CertificateAuthority other = CertificateAuthority.create("Test CA", Duration.ofDays(30), CLOCK);
        assertThat(other.certificate().getSerialNumber()).isNotEqualTo(c.getSerialNumber());
        assertThat(other.certificate().getPublicKey()).isNotEqualTo(c.getPublicKey());
    }

    @Test
    void serverCertificateNamesTheHostsAndIsForServerAuth() throws Exception {
        KeyPair kp = CertificateAuthority.newKeyPair();
        X509Certificate leaf = ca.issueServerCertificate(kp.getPublic(), List.of("app.example.com", "*.example.com"),
                List.of("127.0.0.1"), Duration.ofDays(7));
        leaf.verify(ca.certificate().getPublicKey());
        assertThat(leaf.getPublicKey()).isEqualTo(kp.getPublic());
        assertThat(leaf.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
        assertThat(rdn(leaf, "CN")).isEqualTo("app.example.com");
        assertThat(leaf.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(2, "app.example.com"), List.of(2, "*.example.com"), List.of(7, "127.0.0.1"));
        assertThat(leaf.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
        assertThat(leaf.getBasicConstraints()).as("not a CA").isEqualTo(-1);
        assertThat(leaf.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(7)));
    }

    @Test
    void signedCsrGetsTheConnectorIdAsCommonNameAndClientAuth() throws Exception {
        KeyPair kp = CertificateAuthority.newKeyPair();
        PKCS10CertificationRequest request = csr("CN=admin,O=Evil Corp", kp, kp);
        X509Certificate cert = ca.signClientCsr(request, "connector-1234", Duration.ofDays(90));

        cert.verify(ca.certificate().getPublicKey());
        assertThat(cert.getPublicKey()).isEqualTo(kp.getPublic());
        assertThat(rdn(cert, "CN")).isEqualTo("connector-1234");
        assertThat(cert.getSubjectX500Principal().getName()).doesNotContain("admin").doesNotContain("Evil");
        assertThat(cert.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(cert.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
        assertThat(cert.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(90)));
        assertThat(cert.getNotBefore().toInstant()).isBefore(NOW);
    }

    @ParameterizedTest
    @ValueSource(strings = {"RSA-1024", "RSA-2048", "RSA-4096", "EC-secp384r1", "EC-secp521r1", "Ed25519", "Ed448"})
    void aCsrWhoseKeyIsNotEcP256IsRefused(String type) throws Exception {
        KeyPair kp = keyPair(type);
        String signature = switch (kp.getPublic().getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA384withECDSA";
            default -> type;
        };
        PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=x"), kp.getPublic())
                .build(new JcaContentSignerBuilder(signature).build(kp.getPrivate()));
        assertThatThrownBy(() -> ca.signClientCsr(request, "c1", Duration.ofDays(1)))
                .isInstanceOf(CertificateAuthority.InvalidCsrException.class)
                .hasMessage("the CSR's key must be EC P-256 (secp256r1), the key a connector generates");
    }

    @Test
    void aP256KeyByExplicitCurveParametersIsRefusedToo() throws Exception {
        KeyPair kp = CertificateAuthority.newKeyPair();
        // The same key, its curve written out (X9ECParameters) instead of named by OID.
        X9ECParameters p256 = ECNamedCurveTable.getByName("secp256r1");
        SubjectPublicKeyInfo named = SubjectPublicKeyInfo.getInstance(kp.getPublic().getEncoded());
        SubjectPublicKeyInfo explicit = new SubjectPublicKeyInfo(
                new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, p256),
                named.getPublicKeyData().getBytes());
        PKCS10CertificationRequest request = new PKCS10CertificationRequestBuilder(new X500Name("CN=x"), explicit)
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
        assertThatThrownBy(() -> ca.signClientCsr(request, "c1", Duration.ofDays(1)))
                .isInstanceOf(CertificateAuthority.InvalidCsrException.class).hasMessageContaining("EC P-256");
    }

    private static KeyPair keyPair(String type) throws Exception {
        String[] t = type.split("-", 2);
        KeyPairGenerator g = KeyPairGenerator.getInstance(t[0]);
        if (t[0].equals("RSA")) {
            g.initialize(Integer.parseInt(t[1]));
        } else if (t[0].equals("EC")) {
            g.initialize(new ECGenParameterSpec(t[1]));
        }
        return g.generateKeyPair();
    }

    @Test
    void csrSignedByAnotherKeyIsRefused() throws Exception {
        PKCS10CertificationRequest forged = csr("CN=x", CertificateAuthority.newKeyPair(), CertificateAuthority.newKeyPair());
        assertThatThrownBy(() -> ca.signClientCsr(forged, "c1", Duration.ofDays(1)))
                .isInstanceOf(CertificateAuthority.InvalidCsrException.class);
    }

    @Test
    void csrWithTamperedSignatureIsRefused() throws Exception {
        KeyPair kp = CertificateAuthority.newKeyPair();
        byte[] der = csr("CN=x", kp, kp).getEncoded();
        byte[] tampered = Arrays.copyOf(der, der.length);
        tampered[tampered.length - 3] ^= 0x01; // inside the signature's integer bytes at the end of the DER
        PKCS10CertificationRequest broken = new PKCS10CertificationRequest(tampered);
        assertThatThrownBy(() -> ca.signClientCsr(broken, "c1", Duration.ofDays(1)))
                .isInstanceOf(CertificateAuthority.InvalidCsrException.class);
    }

    @Test
    void pemRoundTripAndCsrParsing() throws Exception {
        assertThat(Pem.parseCertificate(Pem.encode(ca.certificate()))).isEqualTo(ca.certificate());
        assertThat(Pem.sha256(ca.certificate())).hasSize(64).matches("[0-9a-f]+");
        assertThatThrownBy(() -> Pem.parseCsr(null)).isInstanceOf(CertificateAuthority.InvalidCsrException.class);
        assertThatThrownBy(() -> Pem.parseCsr("not pem")).isInstanceOf(CertificateAuthority.InvalidCsrException.class);
        assertThatThrownBy(() -> Pem.parseCsr(Pem.encode(ca.certificate()))).isInstanceOf(CertificateAuthority.InvalidCsrException.class);
    }
}
