package dev.drawbridge.proxy.secrets;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.subtle.AesGcmJce;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cluster key: the key-encryption key that seals the secrets the nodes of a cluster share in the database. 32 random
 * bytes, written as {@code dbck1_} and their unpadded base64url ({@value #TEXT_LENGTH} characters), in a file of mode 0600
 * ({@code --cluster-key-file}) or the environment variable {@code DRAWBRIDGE_CLUSTER_KEY}.
 * <p>
 * A secret is sealed with Tink's AES-256-GCM (a random 96-bit nonce per seal, a 128-bit tag) with its name as associated
 * data, so a sealed row moved under another name does not open. {@link #id()} names the key without revealing it (an
 * HMAC of a fixed label under the key): a node tells a wrong key from a damaged row by it. The key never appears in
 * {@link #toString()}, a message or a log.
 */
public final class ClusterKey {
    /** The text's prefix, so that a cluster key is recognisable (and not mistaken for another secret) wherever it is pasted. */
    public static final String PREFIX = "dbck1_";
    static final int BYTES = 32;
    static final int TEXT_LENGTH = 49;
    private static final byte[] AD_PREFIX = "drawbridge cluster secret\0".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;
    private final Aead aead;
    private final String id;

    private ClusterKey(byte[] key) {
        this.key = key.clone();
        try {
            this.aead = new AesGcmJce(this.key);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(this.key, "HmacSHA256"));
            this.id = HexFormat.of().formatHex(Arrays.copyOf(mac.doFinal("drawbridge cluster key id".getBytes(StandardCharsets.US_ASCII)), 8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM or HMAC-SHA256 unavailable", e);
        }
    }

    /** A new random key. */
    public static ClusterKey generate() {
        byte[] k = new byte[BYTES];
        RANDOM.nextBytes(k);
        return new ClusterKey(k);
    }

    /**
     * The key written as {@code text} (surrounding white space ignored).
     *
     * @param setting how the operator set it, named in the message when it is not a cluster key (never the value)
     * @throws ClusterKeyException when {@code text} is not a cluster key
     */
    public static ClusterKey parse(String text, String setting) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            throw new ClusterKeyException(setting + " is empty: it must hold a cluster key (make one with"
                    + " 'drawbridge-server cluster-key new --out FILE').");
        }
        if (!t.startsWith(PREFIX) || t.length() != TEXT_LENGTH) {
            throw new ClusterKeyException(setting + " does not hold a cluster key (" + PREFIX + " followed by 43 base64url characters;"
                    + " make one with 'drawbridge-server cluster-key new --out FILE').");
        }
        byte[] k;
        try {
            k = Base64.getUrlDecoder().decode(t.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new ClusterKeyException(setting + " does not hold a cluster key (its characters after " + PREFIX
                    + " are not base64url).");
        }
        if (k.length != BYTES) {
            throw new ClusterKeyException(setting + " does not hold a cluster key (not " + BYTES + " bytes).");
        }
        return new ClusterKey(k);
    }

    /**
     * The key in {@code file}, which must be readable by its owner only where the file system has permissions.
     *
     * @param setting how the operator named the file (e.g. {@code --cluster-key-file}), for the messages
     */
    public static ClusterKey read(Path file, String setting) {
        String text;
        try {
            // Every byte maps to a character here: a byte-order mark or any other stray byte is then "not a cluster key",
            // where an ASCII decoder would have failed the read as if the file were unreadable.
            text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            throw new ClusterKeyException("cannot read the cluster key file " + file + " (" + setting + "): "
                    + (Files.exists(file) ? "this user may not read it" : "there is no such file") + ".");
        }
        return parse(text, "the cluster key file " + file + " (" + setting + ")");
    }

    /** Writes this key to a new file {@code out} of mode 0600; refuses to overwrite one. */
    public void writeNew(Path out) throws IOException {
        // Created owner-only before a byte is written, never over an existing file or through a symbolic link (CREATE_NEW is
        // O_EXCL), and written through that one open file: opening the path a second time would follow whatever another user
        // of a shared folder put there in between.
        FileAttribute<?>[] ownerOnly = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        ByteBuffer bytes = ByteBuffer.wrap((text() + "\n").getBytes(StandardCharsets.US_ASCII));
        SeekableByteChannel file = Files.newByteChannel(out, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnly);
        try (file) {
            while (bytes.hasRemaining()) {
                file.write(bytes);
            }
        } catch (IOException e) {
            // Ours, and cut short: an empty key file would only be refused later ("already exists", then "not a cluster key").
            Files.deleteIfExists(out);
            throw e;
        }
    }

    /** The key as text: what {@link #parse} reads. Only for writing the key file. */
    String text() {
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }

    /** A name for this key that reveals nothing of it: 16 hex digits, the same on every node holding the same key. */
    public String id() {
        return id;
    }

    /** {@code plain} sealed under this key for the secret named {@code name}: base64 of nonce, ciphertext and tag. */
    public String seal(String name, byte[] plain) {
        try {
            return Base64.getEncoder().encodeToString(aead.encrypt(plain, associatedData(name)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a secret", e);
        }
    }

    /**
     * What {@link #seal} sealed for {@code name}.
     *
     * @throws GeneralSecurityException when it was sealed under another key or for another name, or was changed
     */
    public byte[] open(String name, String sealed) throws GeneralSecurityException {
        byte[] in;
        try {
            in = Base64.getDecoder().decode(sealed);
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("not base64");
        }
        return aead.decrypt(in, associatedData(name));
    }

    private static byte[] associatedData(String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] ad = Arrays.copyOf(AD_PREFIX, AD_PREFIX.length + n.length);
        System.arraycopy(n, 0, ad, AD_PREFIX.length, n.length);
        return ad;
    }

    /** Whether {@code other} is the same key (constant time). */
    public boolean sameAs(ClusterKey other) {
        return MessageDigest.isEqual(key, other.key);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterKey k && sameAs(k);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "ClusterKey[id=" + id + "]";
    }
}
