package dev.drawbridge.proxy.backup;

import dev.drawbridge.proxy.store.SecretFiles;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Properties;

/**
 * The running server's mark in its data directory, {@value #FILE} (0600): a secret token made at each start and the
 * URL of the management listener, which the backup command reads to ask the running server for a copy of its database
 * ({@link BackupRoute}). Whoever can read the file can read the keys beside it already, so the token grants nothing new;
 * without it, the unauthenticated management listener gives nothing away.
 * <p>
 * The server also holds an OS lock on the file while it runs (on a byte past its end, so the file stays readable on
 * systems whose locks are mandatory): {@link #isRunning} tells a running server from a file a crash left behind.
 * The file goes when the server stops.
 */
public final class LocalControl implements AutoCloseable {
    public static final String FILE = "local-control";
    private static final long LOCK_POSITION = Long.MAX_VALUE - 1;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final byte[] tokenHash;
    private final FileChannel channel;
    private final FileLock lock;

    private LocalControl(Path file, byte[] tokenHash, FileChannel channel, FileLock lock) {
        this.file = file;
        this.tokenHash = tokenHash;
        this.channel = channel;
        this.lock = lock;
    }

    /** What the backup command reads: where the management listener is and the token it wants. */
    public record Endpoint(Optional<URI> managementUrl, String token) {
        public Endpoint {
            if (token.isBlank()) {
                throw new IllegalArgumentException("no token");
            }
        }
    }

    /**
     * Writes a new token (and the management listener's URL, when there is one) to {@code dataDir}'s {@value #FILE} and
     * locks it until {@link #close}.
     */
    public static LocalControl start(Path dataDir, Optional<URI> managementUrl) throws IOException {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Path file = dataDir.resolve(FILE);
        SecretFiles.write(file, "# The running Drawbridge server's local control token (drawbridge-server backup reads it).\n"
                + managementUrl.map(u -> "url=" + u + "\n").orElse("") + "token=" + token + "\n");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.lock(LOCK_POSITION, 1, false);
            return new LocalControl(file, sha256(token), channel, lock);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Whether {@code presented} is this start's token (compared in constant time). */
    public boolean accepts(String presented) {
        return presented != null && MessageDigest.isEqual(sha256(presented), tokenHash);
    }

    /** The running server's endpoint, if {@code dataDir} holds a readable {@value #FILE}. */
    public static Optional<Endpoint> read(Path dataDir) throws IOException {
        Properties p = new Properties();
        try {
            p.load(new StringReader(Files.readString(dataDir.resolve(FILE), StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        String token = p.getProperty("token", "").strip();
        if (token.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Endpoint(Optional.ofNullable(p.getProperty("url")).map(String::strip).map(URI::create), token));
    }

    /**
     * Whether a server runs on {@code dataDir}: its {@value #FILE} is locked, or the embedded database file is (H2 locks it
     * while open). Call it from another process than the server's (a JVM's own locks would be released by the probe).
     */
    public static boolean isRunning(Path dataDir) throws IOException {
        return locked(dataDir.resolve(FILE), LOCK_POSITION, 1) || locked(dataDir.resolve(Manifest.H2_FILE), 0, Long.MAX_VALUE);
    }

    private static boolean locked(Path file, long position, long size) throws IOException {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock probe = c.tryLock(position, size, false);
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            Files.deleteIfExists(file);
        } finally {
            lock.release();
            channel.close();
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
