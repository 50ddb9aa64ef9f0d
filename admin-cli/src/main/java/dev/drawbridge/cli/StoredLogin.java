package dev.drawbridge.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What {@code drawbridge login} keeps: the server, its credential and the CA to trust, in
 * {@code <config dir>/credentials.json}, readable by its owner only (0600; the directory 0700).
 *
 * @param caFile    absolute path of the CA PEM, or null to use the system trust store
 * @param expiresAt when the credential stops working, or null if it does not expire
 */
record StoredLogin(URI server, String token, String caFile, String subject, List<String> roles, Instant expiresAt) {
    static final String FILE = "credentials.json";
    private static final ObjectMapper MAPPER = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT).build();

    StoredLogin {
        roles = roles == null ? List.of() : List.copyOf(roles);
    }

    @Override
    public String toString() {
        return "StoredLogin[server=" + server + ", token=***, subject=" + subject + "]";
    }

    static Optional<StoredLogin> read(Path dir) throws CliException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            StoredLogin l = MAPPER.readValue(file.toFile(), StoredLogin.class);
            if (l.server() == null || l.token() == null) {
                throw CliException.usage(file + " lacks server or token; run drawbridge login again");
            }
            return Optional.of(l);
        } catch (IOException e) {
            throw CliException.usage("cannot read " + file + " (" + e.getClass().getSimpleName() + "); run drawbridge logout, then login");
        }
    }

    /** Writes atomically; the file is never readable by others, not even for a moment. */
    void write(Path dir) throws CliException {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        try {
            if (!Files.isDirectory(dir)) {
                if (posix) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(dir);
                }
            }
            Path tmp = posix ? Files.createTempFile(dir, ".credentials", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(dir, ".credentials", ".tmp");
            try {
                MAPPER.writeValue(tmp.toFile(), this);
                Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw CliException.usage("cannot write " + dir.resolve(FILE) + ": " + e.getMessage());
        }
    }

    static boolean delete(Path dir) throws CliException {
        try {
            return Files.deleteIfExists(dir.resolve(FILE));
        } catch (IOException e) {
            throw CliException.usage("cannot delete " + dir.resolve(FILE) + ": " + e.getMessage());
        }
    }

    /** Whether this login is for {@code other} (same scheme, host and port): its token is never sent elsewhere. */
    boolean isFor(URI other) {
        return Settings.origin(server).equals(Settings.origin(other));
    }
}
