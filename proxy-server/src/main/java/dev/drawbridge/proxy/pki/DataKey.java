package dev.drawbridge.proxy.pki;

import dev.drawbridge.proxy.store.SecretFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets stored in the database (MFA secrets) with AES-256-GCM under a key kept in the
 * data directory ({@code secrets/data-key}, mode 0600), so a database dump alone reveals none.
 */
public final class DataKey {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretKeySpec key;

    private DataKey(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    public static DataKey loadOrCreate(Path dataDir) throws IOException {
        Path secrets = SecretFiles.directory(dataDir.resolve("secrets"));
        String b64 = SecretFiles.readOrCreate(secrets.resolve("data-key"), () -> {
            byte[] k = new byte[32];
            RANDOM.nextBytes(k);
            return Base64.getEncoder().encodeToString(k);
        });
        return new DataKey(Base64.getDecoder().decode(b64));
    }

    /** The key of these 32 bytes (a cluster's shared data key). */
    public static DataKey of(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("a data key has 32 bytes");
        }
        return new DataKey(key.clone());
    }

    /** The key's bytes (a copy): what a cluster's first node shares, sealed, with the others. */
    public byte[] bytes() {
        return key.getEncoded();
    }

    public String encrypt(String plain) {
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            byte[] ct = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + ct.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(ct, 0, out, iv.length, ct.length);
            return "v1:" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    public String decrypt(String sealed) {
        if (!sealed.startsWith("v1:")) {
            throw new IllegalArgumentException("unknown secret format");
        }
        try {
            byte[] in = Base64.getDecoder().decode(sealed.substring(3));
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, in, 0, 12));
            return new String(c.doFinal(in, 12, in.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot decrypt a stored secret (wrong data key?)", e);
        }
    }
}
