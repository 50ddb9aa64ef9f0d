package dev.drawbridge.proxy.domains;

import dev.drawbridge.proxy.pki.CertificateAuthority;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import java.io.IOException;
import java.security.KeyPair;
import java.util.Base64;
import javax.security.auth.x500.X500Principal;

/**
 * A new key (EC P-256) and a PKCS#10 certificate signing request for a custom domain: subject {@code CN=<domain>},
 * subjectAltName the domain and its wildcard, so that one certificate serves the domain, its hosts and its wildcard
 * apps. The key stays on the server (sealed) until the issued certificate is uploaded to pair with it.
 *
 * @param csrPem the request, PEM ({@code CERTIFICATE REQUEST})
 * @param keyPem the private key, PKCS#8 PEM
 */
record DomainCsr(String csrPem, String keyPem) {
    static DomainCsr create(String domain) {
        KeyPair key = CertificateAuthority.newKeyPair();
        try {
            ExtensionsGenerator ext = new ExtensionsGenerator();
            ext.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                    new GeneralName(GeneralName.dNSName, domain), new GeneralName(GeneralName.dNSName, "*." + domain)}));
            PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=" + domain), key.getPublic())
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
            return new DomainCsr(pem("CERTIFICATE REQUEST", csr.getEncoded()), pem("PRIVATE KEY", key.getPrivate().getEncoded()));
        } catch (IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create a certificate signing request", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der) + "\n-----END " + type
                + "-----\n";
    }

    /** Never the key. */
    @Override
    public String toString() {
        return "DomainCsr[csr=" + csrPem.length() + " chars, key=***]";
    }
}
