package dev.drawbridge.proxy.domains;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DomainCsr}: a valid PKCS#10 request, signed by the key created with it, for CN=domain with the domain and its
 * wildcard as subjectAltName; the key is a PKCS#8 EC key that matches the request, and never shows in toString.
 */
class DomainCsrTest {
    @Test
    void theCsrIsAValidPkcs10RequestForTheDomainAndItsWildcard() throws Exception {
        DomainCsr csr = DomainCsr.create("apps.contoso.com");
        assertThat(csr.csrPem()).startsWith("-----BEGIN CERTIFICATE REQUEST-----\n").endsWith("-----END CERTIFICATE REQUEST-----\n");
        PKCS10CertificationRequest request;
        try (PEMParser p = new PEMParser(new StringReader(csr.csrPem()))) {
            request = (PKCS10CertificationRequest) p.readObject();
        }
        JcaPKCS10CertificationRequest jca = new JcaPKCS10CertificationRequest(request);
        assertThat(request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(jca.getPublicKey()))).isTrue();
        assertThat(request.getSubject().toString()).isEqualTo("CN=apps.contoso.com");
        Extensions ext = Extensions.getInstance(request.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)[0].getAttrValues()
                .getObjectAt(0));
        GeneralName[] names = GeneralNames.fromExtensions(ext, Extension.subjectAlternativeName).getNames();
        assertThat(Arrays.stream(names).map(n -> n.getName().toString())).containsExactly("apps.contoso.com", "*.apps.contoso.com");
        assertThat(Arrays.stream(names).map(GeneralName::getTagNo)).containsOnly(GeneralName.dNSName);

        String body = csr.keyPem().replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "").replaceAll("\\s", "");
        var key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        assertThat(key.getAlgorithm()).isEqualTo("EC");
        assertThat(jca.getPublicKey()).isInstanceOf(ECPublicKey.class);
        assertThat(csr.toString()).doesNotContain(body.substring(0, 20)).contains("***");
    }

    @Test
    void everyCsrHasAKeyOfItsOwn() {
        assertThat(DomainCsr.create("a.example").keyPem()).isNotEqualTo(DomainCsr.create("a.example").keyPem());
    }
}
