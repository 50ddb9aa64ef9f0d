package dev.drawbridge.connector.identity;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;
import java.util.Properties;

/**
 * What a registered connector keeps on disk, in its state directory: its private key and client
 * certificate (mode 0600), the server CA to trust, the server's admin URL it registered with, and where
 * the tunnel endpoint is. Written by {@code register}; the two URLs are rewritten when the server moved
 * ({@code run} learns the tunnel URL from the server, {@code set-server} changes the server URL), the key,
 * certificate and CA never.
 *
 * @param serverUrl the server's admin URL (https://admin.&lt;domain&gt;[:port]), asked for the tunnel URL
 * @param tunnelUrl the tunnel endpoint (wss://...) last learnt from the server
 * @param updateKeyJwk the server's update-signing public key (JWK JSON) pinned at registration, or empty (a server that
 *                  did not send one: the connector fetches it over its authenticated channel when it first needs it)
 */
public record ConnectorIdentity(String connectorId, String serverUrl, String tunnelUrl, PrivateKey privateKey,
                                X509Certificate certificate, X509Certificate serverCa, String updateKeyJwk) {
    public ConnectorIdentity {
        updateKeyJwk = updateKeyJwk == null ? "" : updateKeyJwk.strip();
        if (!serverUrl.startsWith("https://")) {
            throw new IllegalArgumentException("serverUrl: '" + serverUrl + "' is not an https:// URL");
        }
        if (!tunnelUrl.startsWith("wss://")) {
            throw new IllegalArgumentException("tunnelUrl: '" + tunnelUrl + "' is not a wss:// URL");
        }
    }

    /** An identity without a pinned update key. */
    public ConnectorIdentity(String connectorId, String serverUrl, String tunnelUrl, PrivateKey privateKey, X509Certificate certificate,
                             X509Certificate serverCa) {
        this(connectorId, serverUrl, tunnelUrl, privateKey, certificate, serverCa, "");
    }

    private static final String KEY = "connector.key", CERT = "connector.crt", CA = "server-ca.pem", PROPS = "connector.properties";
    /** The pinned update key (docs/updates.md): written at registration, or once fetched from the server; never replaced. */
    private static final String UPDATE_KEY = "update-key.jwk";
    private static final String PREVIOUS = ".previous";

    public static boolean exists(Path dir) {
        return Files.exists(dir.resolve(PROPS)) && Files.exists(dir.resolve(KEY)) && Files.exists(dir.resolve(CERT));
    }

    /** Reads the identity; every failure is an IOException whose message is a sentence saying what to do. */
    public static ConnectorIdentity load(Path dir) throws IOException {
        if (!exists(dir)) {
            throw new IOException("no connector identity in " + dir + ": register this connector first "
                    + "('drawbridge-connector register'), or give the --state-dir it was registered with");
        }
        Properties p = new Properties();
        try {
            try (var in = Files.newBufferedReader(dir.resolve(PROPS))) {
                p.load(in);
            }
            PrivateKey key = privateKey(dir.resolve(KEY));
            X509Certificate cert = certificate(Files.readString(dir.resolve(CERT)));
            if (!matches(key, cert) && Files.exists(dir.resolve(KEY + PREVIOUS)) && Files.exists(dir.resolve(CERT + PREVIOUS))) {
                // A renewal was cut short between writing the new key and its certificate: the previous pair still works.
                key = privateKey(dir.resolve(KEY + PREVIOUS));
                cert = certificate(Files.readString(dir.resolve(CERT + PREVIOUS)));
            }
            String tunnelUrl = required(p, "tunnelUrl");
            // Identities stored before the server URL was kept: the admin host on the default port, a guess that
            // only decides where to ask for a moved tunnel URL.
            String serverUrl = p.getProperty("serverUrl", "https://" + URI.create(tunnelUrl).getHost());
            return new ConnectorIdentity(required(p, "connectorId"), serverUrl, tunnelUrl, key, cert,
                    certificate(Files.readString(dir.resolve(CA))), loadUpdateKey(dir).orElse(""));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("the connector identity in " + dir + " is damaged (" + EndpointLookup.root(e) + "): register again", e);
        } catch (AccessDeniedException e) {
            throw new IOException("cannot read the connector identity in " + dir + " (permission denied on " + e.getFile()
                    + "): run as the user that registered it", e);
        }
    }

    /** The same identity with the server's current addresses. */
    public ConnectorIdentity withEndpoints(String newServerUrl, String newTunnelUrl) {
        return new ConnectorIdentity(connectorId, newServerUrl, newTunnelUrl, privateKey, certificate, serverCa, updateKeyJwk);
    }

    /** The update key pinned in {@code dir}, if any. */
    public static Optional<String> loadUpdateKey(Path dir) throws IOException {
        Path f = dir.resolve(UPDATE_KEY);
        return Files.exists(f) ? Optional.of(Files.readString(f).strip()).filter(s -> !s.isEmpty()) : Optional.empty();
    }

    /** Pins {@code jwk} as the update key in {@code dir} (0600). */
    public static void saveUpdateKey(Path dir, String jwk) throws IOException {
        writeSecret(dir.resolve(UPDATE_KEY), jwk.strip() + "\n");
    }

    /**
     * Stores a renewed identity: the key and certificate in use so far are kept as {@code *.previous} first, so that a
     * renewal cut short between the two files still leaves a working pair (which {@link #load} then takes); then the
     * renewal's pending key is forgotten ({@link PendingRenewal}).
     */
    public void saveRenewed(Path dir) throws IOException {
        for (String f : new String[] {KEY, CERT}) {
            if (Files.exists(dir.resolve(f))) {
                Path tmp = dir.resolve(f + PREVIOUS + ".tmp");
                Files.copy(dir.resolve(f), tmp, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                Files.move(tmp, dir.resolve(f + PREVIOUS), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        save(dir);
        PendingRenewal.clear(dir);
    }

    private static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        byte[] der = pemBody(Files.readString(file), "PRIVATE KEY");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    /** Whether {@code key} is the private key of {@code cert} (a signature by it verifies with the certificate's key). */
    private static boolean matches(PrivateKey key, X509Certificate cert) throws GeneralSecurityException {
        return matches(key, cert.getPublicKey());
    }

    /** Whether {@code key} is the private half of {@code publicKey} (a signature by it verifies with it). */
    static boolean matches(PrivateKey key, PublicKey publicKey) throws GeneralSecurityException {
        byte[] probe = "drawbridge-connector-key-check".getBytes(StandardCharsets.US_ASCII);
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key);
        s.update(probe);
        byte[] sig = s.sign();
        Signature v = Signature.getInstance("SHA256withECDSA");
        v.initVerify(publicKey);
        v.update(probe);
        return v.verify(sig);
    }

    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (posix()) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        writeSecret(dir.resolve(KEY), pem("PRIVATE KEY", privateKey.getEncoded()));
        try {
            writeSecret(dir.resolve(CERT), pem("CERTIFICATE", certificate.getEncoded()));
            writeSecret(dir.resolve(CA), pem("CERTIFICATE", serverCa.getEncoded()));
            if (!updateKeyJwk.isEmpty()) {
                saveUpdateKey(dir, updateKeyJwk);
            }
        } catch (CertificateEncodingException e) {
            throw new IOException(e);
        }
        saveEndpoints(dir);
    }

    /**
     * Stores only the addresses (the server's admin URL, the tunnel URL), leaving the key and certificate files as they
     * are: a tunnel URL learnt while a renewal writes the new pair must not write the old pair back.
     */
    public void saveEndpoints(Path dir) throws IOException {
        Properties p = new Properties();
        p.setProperty("connectorId", connectorId);
        p.setProperty("serverUrl", serverUrl);
        p.setProperty("tunnelUrl", tunnelUrl);
        var out = new StringWriter();
        p.store(out, "Drawbridge connector identity");
        writeSecret(dir.resolve(PROPS), out.toString());
    }

    /** Key and certificate as an in-memory keystore for TLS client authentication. */
    public KeyStore keyStore(char[] password) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("connector", privateKey, password, new Certificate[]{certificate});
        return ks;
    }

    public static X509Certificate certificate(String pem) throws GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] pemBody(String pem, String type) {
        String body = pem.replace("-----BEGIN " + type + "-----", "").replace("-----END " + type + "-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }

    private static String required(Properties p, String name) {
        String v = p.getProperty(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("connector.properties lacks " + name);
        }
        return v;
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    /** Writes {@code file} (mode 0600) atomically: a temporary file, synced to the disk, then moved over it. */
    static void writeSecret(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        createSecretFile(tmp);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Creates {@code file}, empty, 0600 from the start where the file system has POSIX modes (created with the mode, not
     * changed after: a file born with the umask's mode could be opened meanwhile by another user, who keeps reading it).
     */
    static void createSecretFile(Path file) throws IOException {
        if (posix()) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
    }
}
