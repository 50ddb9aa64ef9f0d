package dev.drawbridge.model.api;

/**
 * Body of {@code POST /certificates} and {@code PUT /server-certificate}: either {@code pem} (the certificate chain and an
 * unencrypted private key) or {@code pkcs12} (base64) with its {@code password}.
 */
public record CertificateUpload(String pem, String pkcs12, String password) {
    /** A PEM chain and key. */
    public static CertificateUpload pem(String pem) {
        return new CertificateUpload(pem, null, null);
    }

    /** A base64 PKCS#12 file and its password. */
    public static CertificateUpload pkcs12(String base64, String password) {
        return new CertificateUpload(null, base64, password);
    }

    /** Never the key material or the password. */
    @Override
    public String toString() {
        return "CertificateUpload[pem=" + (pem == null ? null : pem.length() + " chars") + ", pkcs12=" + (pkcs12 == null ? null : "***")
                + ", password=" + (password == null ? null : "***") + "]";
    }
}
