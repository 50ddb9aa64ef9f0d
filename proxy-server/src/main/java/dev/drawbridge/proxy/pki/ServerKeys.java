package dev.drawbridge.proxy.pki;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.drawbridge.proxy.store.SecretFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * The server's key material, created on first start in the data directory and reused afterwards:
 * the server CA (which issues TLS certificates per host, see {@link SniKeyManager}), the connector CA, the token
 * signing keys (JWK set), and the hash of the bootstrap admin credential. Secrets are files of
 * mode 0600; keystores are PKCS#12 protected by a generated password.
 */
public final class ServerKeys {
    private static final String ALIAS = "key";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final CertificateAuthority serverCa;
    private final CertificateAuthority connectorCa;
    private final char[] keyStorePassword;
    private final JWKSet signingKeys;
    private final JWKSet ssoSigningKeys;
    private final byte[] adminTokenHash;
    private final Optional<String> newAdminToken;

    private ServerKeys(CertificateAuthority serverCa, CertificateAuthority connectorCa,
                       char[] keyStorePassword, JWKSet signingKeys, JWKSet ssoSigningKeys, byte[] adminTokenHash,
                       Optional<String> newAdminToken) {
        this.ssoSigningKeys = ssoSigningKeys;
        this.serverCa = serverCa;
        this.connectorCa = connectorCa;
        this.keyStorePassword = keyStorePassword;
        this.signingKeys = signingKeys;
        this.adminTokenHash = adminTokenHash;
        this.newAdminToken = newAdminToken;
    }

    /**
     * Key material that comes from elsewhere than this data directory (a cluster's shared secrets, see
     * {@code dev.drawbridge.proxy.secrets.SharedSecrets}); the keystore password, used for this node's files only, is new.
     *
     * @param newAdminToken the admin credential in clear, only on the start that created it
     */
    public static ServerKeys of(CertificateAuthority serverCa, CertificateAuthority connectorCa, JWKSet signingKeys, JWKSet ssoSigningKeys,
                                byte[] adminTokenHash, Optional<String> newAdminToken) {
        return new ServerKeys(serverCa, connectorCa, randomToken(24).toCharArray(), signingKeys, ssoSigningKeys, adminTokenHash.clone(),
                newAdminToken);
    }

    /** Where the admin credential's hash is kept; without it, the next start makes and hands out a new credential. */
    public static Path adminTokenFile(Path dataDir) {
        return dataDir.resolve("secrets").resolve("admin-token.sha256");
    }

    /** Loads the material from {@code dataDir}, creating what is missing. */
    public static ServerKeys loadOrCreate(Path dataDir, Clock clock) throws IOException {
        Path pki = SecretFiles.directory(dataDir.resolve("pki"));
        Path secrets = SecretFiles.directory(dataDir.resolve("secrets"));
        char[] password = SecretFiles.readOrCreate(secrets.resolve("keystore-password"),
                () -> randomToken(24)).toCharArray();
        try {
            CertificateAuthority serverCa = loadOrCreateCa(pki.resolve("server-ca.p12"), "Drawbridge Server CA", password, clock);
            CertificateAuthority connectorCa = loadOrCreateCa(pki.resolve("connector-ca.p12"), "Drawbridge Connector CA", password, clock);
            Files.writeString(pki.resolve("server-ca.pem"), Pem.encode(serverCa.certificate()));
            JWKSet jwks = loadOrCreateJwks(secrets.resolve("signing-keys.jwks"), clock);
            JWKSet ssoJwks = loadOrCreateJwks(secrets.resolve("sso-signing-keys.jwks"), clock);
            Path adminFile = adminTokenFile(dataDir);
            Optional<String> fresh = Optional.empty();
            if (!Files.exists(adminFile)) {
                String token = "dbadm_" + randomToken(32);
                SecretFiles.write(adminFile, HexFormat.of().formatHex(sha256(token)));
                fresh = Optional.of(token);
            }
            byte[] adminHash = HexFormat.of().parseHex(Files.readString(adminFile).trim());
            return new ServerKeys(serverCa, connectorCa, password, jwks, ssoJwks, adminHash, fresh);
        } catch (GeneralSecurityException | ParseException | JOSEException e) {
            throw new IOException("cannot load or create the server's keys in " + pki + ": " + e.getMessage(), e);
        }
    }

    private static CertificateAuthority loadOrCreateCa(Path file, String cn, char[] password, Clock clock)
            throws IOException, GeneralSecurityException {
        if (Files.exists(file)) {
            KeyStore ks = load(file, password);
            return new CertificateAuthority((X509Certificate) ks.getCertificate(ALIAS),
                    (PrivateKey) ks.getKey(ALIAS, password), clock);
        }
        CertificateAuthority ca = CertificateAuthority.create(cn, Duration.ofDays(3650), clock);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(ALIAS, ca.privateKey(), password, new Certificate[]{ca.certificate()});
        store(ks, file, password);
        return ca;
    }

    private static JWKSet loadOrCreateJwks(Path file, Clock clock) throws IOException, ParseException, JOSEException {
        if (Files.exists(file)) {
            return JWKSet.parse(Files.readString(file));
        }
        ECKey key = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).keyID(UUID.randomUUID().toString())
                .issueTime(Date.from(clock.instant())).generate();
        JWKSet set = new JWKSet(key);
        SecretFiles.write(file, set.toString(false));
        return set;
    }

    private static KeyStore load(Path file, char[] password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password);
        }
        return ks;
    }

    private static void store(KeyStore ks, Path file, char[] password) throws IOException, GeneralSecurityException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            ks.store(out, password);
        }
        SecretFiles.restrict(tmp);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time check of a presented admin credential. */
    public boolean isAdminToken(String presented) {
        return presented != null && MessageDigest.isEqual(adminTokenHash, sha256(presented));
    }

    public CertificateAuthority serverCa() {
        return serverCa;
    }

    public CertificateAuthority connectorCa() {
        return connectorCa;
    }

    public char[] keyStorePassword() {
        return keyStorePassword.clone();
    }

    public JWKSet signingKeys() {
        return signingKeys;
    }

    /**
     * The keys that sign users' identities for connectors (single sign-on to backends): kept apart from
     * {@link #signingKeys()}, so connectors hold the public half of a key that signs nothing else, and an identity can
     * never pass for a session or access token (nor the other way round) whatever its claims.
     */
    public JWKSet ssoSigningKeys() {
        return ssoSigningKeys;
    }

    /** The admin credential's SHA-256 (a copy): what a cluster's nodes share to accept it. */
    public byte[] adminTokenHash() {
        return adminTokenHash.clone();
    }

    /** The admin credential, only on the start that created it (printed once, never stored in clear). */
    public Optional<String> newAdminToken() {
        return newAdminToken;
    }

}
