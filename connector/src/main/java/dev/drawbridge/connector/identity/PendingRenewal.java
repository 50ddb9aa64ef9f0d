package dev.drawbridge.connector.identity;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The key pair of a renewal under way, kept in the state directory ({@code renewal-pending.key}, mode 0600, written
 * atomically and synced) from before the CSR is sent until the renewed identity is stored. If the server's answer is lost
 * (the connection dropped after the server issued the certificate, or the connector stopped before storing it), the
 * connector asks again with the same key, and with its previous certificate, which the server accepts only for that key
 * during the grace; so it never ends with a certificate the server issued for a key it no longer has. The file names the
 * certificate it renews (its serial): a pending key left over from another certificate (the connector registered again) is
 * dropped.
 */
public final class PendingRenewal {
    static final String FILE = "renewal-pending.key";
    private static final Logger LOG = LoggerFactory.getLogger(PendingRenewal.class);
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z ]+)-----([^-]+)-----END \\1-----");

    private PendingRenewal() {
    }

    /** Whether a renewal is under way (its key kept, its certificate not yet stored). */
    public static boolean exists(Path dir) {
        return Files.exists(dir.resolve(FILE));
    }

    /**
     * The pending key of a renewal of {@code stored}. None when {@code stored} already certifies it (the renewal was stored,
     * only the clean-up was cut short) or it renews another certificate (the connector registered again): the file is
     * removed. A damaged file is removed with a warning: a new key replaces it.
     */
    public static Optional<KeyPair> load(Path dir, X509Certificate stored) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String content = Files.readString(file, StandardCharsets.US_ASCII);
        KeyPair kp;
        try {
            kp = parse(content);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            LOG.warn("the pending renewal key in {} is damaged ({}); a new key replaces it", file, EndpointLookup.root(e));
            clear(dir);
            return Optional.empty();
        }
        if (kp.getPublic().equals(stored.getPublicKey()) || !content.startsWith(renews(stored))) {
            clear(dir);
            return Optional.empty();
        }
        return Optional.of(kp);
    }

    /** The pending key, or a new one stored as pending before it is used. */
    public static KeyPair loadOrCreate(Path dir, X509Certificate stored) throws IOException {
        Optional<KeyPair> pending = load(dir, stored);
        if (pending.isPresent()) {
            return pending.get();
        }
        KeyPair kp;
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            kp = g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot create a key pair: " + e.getMessage(), e);
        }
        ConnectorIdentity.writeSecret(dir.resolve(FILE), renews(stored) + ConnectorIdentity.pem("PRIVATE KEY", kp.getPrivate().getEncoded())
                + ConnectorIdentity.pem("PUBLIC KEY", kp.getPublic().getEncoded()));
        return kp;
    }

    /** Forgets the pending key (its renewal is stored). */
    public static void clear(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(FILE));
    }

    /** The file's first line: the certificate the pending key renews. */
    private static String renews(X509Certificate cert) {
        return "renews serial " + cert.getSerialNumber().toString(16) + "\n";
    }

    private static KeyPair parse(String pem) throws GeneralSecurityException {
        byte[] priv = null, pub = null;
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            switch (m.group(1)) {
                case "PRIVATE KEY" -> priv = der;
                case "PUBLIC KEY" -> pub = der;
                default -> throw new GeneralSecurityException("unexpected " + m.group(1));
            }
        }
        if (priv == null || pub == null) {
            throw new GeneralSecurityException("a private and a public key are required");
        }
        KeyFactory f = KeyFactory.getInstance("EC");
        PrivateKey privateKey = f.generatePrivate(new PKCS8EncodedKeySpec(priv));
        PublicKey publicKey = f.generatePublic(new X509EncodedKeySpec(pub));
        // The two halves must belong together: a CSR signed with one for the other would be refused anyway.
        if (!ConnectorIdentity.matches(privateKey, publicKey)) {
            throw new GeneralSecurityException("the private and public keys do not match");
        }
        return new KeyPair(publicKey, privateKey);
    }
}
