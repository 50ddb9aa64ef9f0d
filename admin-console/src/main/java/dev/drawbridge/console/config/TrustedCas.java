package dev.drawbridge.console.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The server CAs this user accepted (trust on first use), kept as PEM in {@code trusted-cas.pem} in the
 * config directory, plus any CA file given on the command line. Only these anchors are trusted: a Drawbridge
 * server's certificates come from its own CA.
 */
public final class TrustedCas {
    private final Path file;
    private final List<X509Certificate> extra = new ArrayList<>();

    public TrustedCas(Path configDir) {
        this.file = configDir.resolve("trusted-cas.pem");
    }

    /** Trusts the CA(s) of a PEM file for this run only (the {@code --ca-file} option). */
    public void addForSession(Path pem) throws IOException, GeneralSecurityException {
        extra.addAll(read(Files.readAllBytes(pem)));
    }

    public synchronized List<X509Certificate> all() {
        List<X509Certificate> all = new ArrayList<>(extra);
        if (Files.isRegularFile(file)) {
            try {
                all.addAll(read(Files.readAllBytes(file)));
            } catch (IOException | GeneralSecurityException e) {
                // A damaged file trusts nothing from it; the user is asked again.
            }
        }
        return all;
    }

    /** Whether the chain's last certificate (its root) or any other of it is one of the accepted CAs. */
    public boolean trusts(List<X509Certificate> chain) {
        List<X509Certificate> anchors = all();
        return chain.stream().anyMatch(anchors::contains);
    }

    /** Remembers a CA the user accepted. */
    public synchronized void accept(X509Certificate ca) throws IOException {
        if (all().contains(ca)) {
            return;
        }
        Files.createDirectories(file.getParent());
        String pem = pem(ca);
        Files.writeString(file, pem, StandardCharsets.US_ASCII,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** A key store of every trusted CA, for the HTTP client. */
    public KeyStore keyStore() throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        int i = 0;
        for (X509Certificate c : all()) {
            ks.setCertificateEntry("ca-" + i++, c);
        }
        return ks;
    }

    public static List<X509Certificate> read(byte[] pem) throws GeneralSecurityException {
        List<X509Certificate> out = new ArrayList<>();
        for (var c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
            out.add((X509Certificate) c);
        }
        return out;
    }

    public static String pem(X509Certificate c) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(c.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** SHA-256 of the DER encoding, as colon-separated upper-case hex (how browsers show it). */
    public static String sha256(X509Certificate c) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(c.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
