package dev.drawbridge.proxy.secrets;

import dev.drawbridge.proxy.pki.CertificateAuthority;
import dev.drawbridge.proxy.pki.Pem;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;

/** The text of each kind of shared secret: a CA as its certificate and PKCS#8 key in PEM. */
final class SecretCodec {
    private SecretCodec() {
    }

    static byte[] ca(CertificateAuthority ca) {
        String key = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(ca.privateKey().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        return (Pem.encode(ca.certificate()) + key).getBytes(StandardCharsets.US_ASCII);
    }

    static CertificateAuthority ca(byte[] pem, Clock clock) throws IOException, GeneralSecurityException {
        X509Certificate cert = null;
        PrivateKey key = null;
        try (PEMParser p = new PEMParser(new StringReader(new String(pem, StandardCharsets.US_ASCII)))) {
            for (Object o = p.readObject(); o != null; o = p.readObject()) {
                if (o instanceof X509CertificateHolder h) {
                    cert = new JcaX509CertificateConverter().getCertificate(h);
                } else if (o instanceof PrivateKeyInfo k) {
                    key = new JcaPEMKeyConverter().getPrivateKey(k);
                }
            }
        }
        if (cert == null || key == null) {
            throw new GeneralSecurityException("not a certificate and its private key");
        }
        return new CertificateAuthority(cert, key, clock);
    }
}
