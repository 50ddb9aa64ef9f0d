package dev.drawbridge.connector.identity;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * First contact with the server at registration: the server's chain is trusted only if it carries
 * a CA certificate whose SHA-256 equals the pin printed with the registration token, and the leaf
 * verifies against that CA (hostname checking stays on). The CA found is kept to trust afterwards.
 */
public final class PinnedTrust implements X509TrustManager {
    private final String pinHex;
    private final AtomicReference<X509Certificate> pinnedCa = new AtomicReference<>();

    public PinnedTrust(String sha256Hex) {
        this.pinHex = sha256Hex.replace(":", "").toLowerCase(Locale.ROOT).strip();
    }

    public Optional<X509Certificate> pinnedCa() {
        return Optional.ofNullable(pinnedCa.get());
    }

    public SSLContext sslContext() throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[]{this}, null);
        return ctx;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        for (X509Certificate c : chain) {
            if (HexFormat.of().formatHex(sha256(c.getEncoded())).equals(pinHex)) {
                try {
                    KeyStore ks = KeyStore.getInstance("PKCS12");
                    ks.load(null, null);
                    ks.setCertificateEntry("ca", c);
                    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                    tmf.init(ks);
                    ((X509TrustManager) tmf.getTrustManagers()[0]).checkServerTrusted(chain, authType);
                } catch (GeneralSecurityException | IOException e) {
                    throw new CertificateException("server chain does not verify against the pinned CA: " + e.getMessage(), e);
                }
                pinnedCa.set(c);
                return;
            }
        }
        throw new CertificateException("no certificate of the server's chain matches the pinned CA SHA-256 " + pinHex);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("client side only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
