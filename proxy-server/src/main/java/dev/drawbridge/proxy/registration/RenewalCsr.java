package dev.drawbridge.proxy.registration;

import dev.drawbridge.proxy.pki.CertificateAuthority.InvalidCsrException;
import dev.drawbridge.proxy.tunnel.ConnectorStore.IssuedRenewal;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The CSR of a renewal request, its self-signature checked (the requester holds the private key), with the SHA-256 (hex)
 * of its public key's canonical SubjectPublicKeyInfo encoding: what the server remembers of a renewal, and compares when
 * the connector asks again.
 */
record RenewalCsr(PKCS10CertificationRequest csr, PublicKey publicKey, String keySha256) {
    RenewalCsr {
        Objects.requireNonNull(csr, "csr");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(keySha256, "keySha256");
    }

    static RenewalCsr of(PKCS10CertificationRequest csr) throws InvalidCsrException {
        try {
            JcaPKCS10CertificationRequest j = new JcaPKCS10CertificationRequest(csr);
            PublicKey key = j.getPublicKey();
            if (!j.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
                throw new InvalidCsrException("CSR signature does not verify");
            }
            return new RenewalCsr(csr, key, keySha256(key));
        } catch (InvalidCsrException e) {
            throw e;
        } catch (Exception e) {
            throw new InvalidCsrException("CSR rejected: " + (e.getMessage() == null ? "unreadable" : e.getMessage()));
        }
    }

    /** Whether {@code issued} certified this CSR's key (a constant-time comparison of the hashes). */
    boolean certified(IssuedRenewal issued) {
        byte[] remembered;
        try {
            remembered = HexFormat.of().parseHex(issued.keySha256());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(HexFormat.of().parseHex(keySha256), remembered);
    }

    static String keySha256(PublicKey key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
