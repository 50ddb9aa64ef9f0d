package dev.drawbridge.proxy.pki;

import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;

/** PEM encoding of certificates and parsing of CSRs. */
public final class Pem {
    private Pem() {
    }

    public static String encode(X509Certificate cert) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static X509Certificate parseCertificate(String pem) throws CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Parses a PEM CSR; null or garbage gives an exception with a readable message. */
    public static PKCS10CertificationRequest parseCsr(String pem) throws CertificateAuthority.InvalidCsrException {
        if (pem == null || pem.isBlank()) {
            throw new CertificateAuthority.InvalidCsrException("csrPem is required");
        }
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            Object o = p.readObject();
            if (o instanceof PKCS10CertificationRequest csr) {
                return csr;
            }
            throw new CertificateAuthority.InvalidCsrException("csrPem is not a PEM certificate signing request");
        } catch (IOException | RuntimeException e) {
            throw new CertificateAuthority.InvalidCsrException("csrPem cannot be parsed as a PEM CSR");
        }
    }

    /** Lower-case hex SHA-256 of the certificate's DER encoding (what connectors pin). */
    public static String sha256(X509Certificate cert) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
