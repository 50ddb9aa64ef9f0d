package dev.drawbridge.proxy.backup;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingKey;
import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingParameters;
import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import com.google.crypto.tink.util.SecretBytes;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The sealed file around a backup archive, written and read as streams (memory stays flat whatever the size):
 * <pre>
 *   "DRAWBRIDGE-BACKUP\n"                 18 bytes
 *   format version                        1 byte (1)
 *   key derivation                        1 byte (1: Argon2id, version 1.3)
 *   memory KiB, iterations, parallelism   3 × int32, big-endian
 *   salt                                  16 random bytes
 *   passphrase check                      32 bytes: HMAC-SHA256(check key, every byte above)
 *   ciphertext                            Tink's AES-256-GCM-HKDF streaming AEAD, 1 MiB segments,
 *                                         associated data: the 82 header bytes above
 * </pre>
 * Argon2id derives 64 bytes from the passphrase and the salt: the streaming AEAD's key material, then the check key.
 * The check tells a wrong passphrase (or a modified header: it covers every header byte) apart from a damaged body
 * before any plaintext is produced; it lets a guesser test a passphrase no faster than the ciphertext already would.
 * The AEAD authenticates every segment and the end of the stream (a cut-short file fails), with the header bound in as
 * associated data. The Tink primitive is used as is: no chunking, nonces or tags of our own.
 */
final class Envelope {
    static final byte[] MAGIC = "DRAWBRIDGE-BACKUP\n".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    private static final int KDF_ARGON2ID = 1;
    private static final int SALT = 16, CHECK = 32, KEY = 32;
    static final int HEADER = MAGIC.length + 2 + 3 * Integer.BYTES + SALT + CHECK;
    private static final int SEGMENT = 1 << 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Envelope() {
    }

    /** Writes the header to {@code out}; returns the stream to write the archive into (closing it closes {@code out}). */
    static OutputStream seal(OutputStream out, char[] passphrase, KdfParams kdf) throws IOException {
        byte[] salt = new byte[SALT];
        RANDOM.nextBytes(salt);
        byte[] body = headerBody(kdf, salt);
        byte[] derived = derive(passphrase, salt, kdf);
        try {
            byte[] header = ByteBuffer.allocate(HEADER).put(body).put(check(derived, body)).array();
            out.write(header);
            return aead(derived).newEncryptingStream(out, header);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the streaming AEAD cannot be set up", e);
        } finally {
            Arrays.fill(derived, (byte) 0);
        }
    }

    /**
     * Reads and checks the header of {@code in}; returns the decrypting stream of the archive. Its reads throw an
     * {@link IOException} at the first segment that fails authentication, and at an end that is not the sealed one.
     *
     * @param name the file, as the sentences name it
     * @throws BackupException not a backup, a format this version does not read, or the passphrase does not open it
     */
    static InputStream open(InputStream in, char[] passphrase, String name) throws BackupException, IOException {
        byte[] header = in.readNBytes(HEADER);
        if (header.length < MAGIC.length || !Arrays.equals(header, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new BackupException(name + " is not a Drawbridge backup (it does not start as 'drawbridge-server backup' writes"
                    + " them).");
        }
        if (header.length < HEADER) {
            throw new BackupException(name + " is cut short (it ends inside its header): use a complete copy of the backup.");
        }
        ByteBuffer b = ByteBuffer.wrap(header).position(MAGIC.length);
        int version = b.get(), kdfId = b.get();
        if (version != VERSION) {
            throw new BackupException(name + " is a backup of format " + version + ", which this version of Drawbridge does not read"
                    + " (it reads format " + VERSION + "): restore it with the version that made it, or a newer one.");
        }
        KdfParams kdf;
        try {
            kdf = new KdfParams(b.getInt(), b.getInt(), b.getInt());
        } catch (IllegalArgumentException e) {
            throw new BackupException(name + "'s header was modified or damaged (" + e.getMessage() + "): use another copy of the"
                    + " backup.");
        }
        if (kdfId != KDF_ARGON2ID) {
            throw new BackupException(name + "'s header was modified or damaged (unknown key derivation " + kdfId + "): use"
                    + " another copy of the backup.");
        }
        byte[] salt = new byte[SALT], tag = new byte[CHECK];
        b.get(salt).get(tag);
        byte[] body = Arrays.copyOf(header, HEADER - CHECK);
        byte[] derived = derive(passphrase, salt, kdf);
        try {
            if (!MessageDigest.isEqual(check(derived, body), tag)) {
                throw new BackupException("the passphrase does not open " + name + " (a wrong passphrase, or a modified header): "
                        + "give the passphrase the backup was made with.");
            }
            return aead(derived).newDecryptingStream(in, header);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the streaming AEAD cannot be set up", e);
        } finally {
            Arrays.fill(derived, (byte) 0);
        }
    }

    private static byte[] headerBody(KdfParams kdf, byte[] salt) {
        return ByteBuffer.allocate(HEADER - CHECK).put(MAGIC).put((byte) VERSION).put((byte) KDF_ARGON2ID)
                .putInt(kdf.memoryKib()).putInt(kdf.iterations()).putInt(kdf.parallelism()).put(salt).array();
    }

    /** Argon2id: 32 bytes of AEAD key material, then 32 of check key. */
    private static byte[] derive(char[] passphrase, byte[] salt, KdfParams kdf) {
        Argon2BytesGenerator argon2 = new Argon2BytesGenerator();
        argon2.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt).withMemoryAsKB(kdf.memoryKib()).withIterations(kdf.iterations()).withParallelism(kdf.parallelism())
                .build());
        byte[] out = new byte[2 * KEY];
        argon2.generateBytes(passphrase, out);
        return out;
    }

    private static byte[] check(byte[] derived, byte[] body) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(derived, KEY, KEY, "HmacSHA256"));
        return mac.doFinal(body);
    }

    private static StreamingAead aead(byte[] derived) throws GeneralSecurityException {
        AesGcmHkdfStreamingParameters params = AesGcmHkdfStreamingParameters.builder().setKeySizeBytes(KEY)
                .setDerivedAesGcmKeySizeBytes(KEY).setHkdfHashType(AesGcmHkdfStreamingParameters.HashType.SHA256)
                .setCiphertextSegmentSizeBytes(SEGMENT).build();
        return AesGcmHkdfStreaming.create(AesGcmHkdfStreamingKey.create(params,
                SecretBytes.copyFrom(Arrays.copyOf(derived, KEY), InsecureSecretKeyAccess.get())));
    }
}
