package dev.drawbridge.testsupport.process;

import com.sun.security.auth.module.UnixSystem;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Who the test servers (slapd, krb5kdc, Apache) and their tools run as, and how they are launched: through
 * {@code setpriv --pdeathsig KILL}, so that each dies with the thread that launched it (see {@link ServerProcess}),
 * and, when the tests run as root (CI does), as {@code nobody}: Apache as root would switch its children to
 * {@code www-data}, who cannot read a test's private files, and a test server has no business being root anyway.
 * The same user whether the tests run as root or not keeps the behaviour the same.
 */
public final class RunAs {
    private static final int NOBODY = 65534;
    private static final boolean ROOT = new UnixSystem().getUid() == 0;

    private RunAs() {
    }

    /** Whether the servers run as {@code nobody} (the tests run as root). */
    public static boolean dropsToNobody() {
        return ROOT;
    }

    /** {@code command} behind setpriv: dies with its launching thread, and runs as nobody when we are root. */
    public static List<String> wrap(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("setpriv", "--pdeathsig", "KILL"));
        if (ROOT) {
            wrapped.addAll(List.of("--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
        }
        wrapped.add("--");
        wrapped.addAll(command);
        return wrapped;
    }

    /**
     * A new private directory for a test server under /tmp with a short name (an ldapi socket path must stay under
     * 108 bytes), owned by the user the servers run as. Only that user (and root) can read it: keytabs live there.
     */
    public static Path privateDirectory(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), prefix);
        handOver(dir);
        return dir;
    }

    /** Creates {@code dir} (and parents inside a private directory) owned by the servers' user. */
    public static Path directory(Path dir) throws IOException {
        Files.createDirectories(dir);
        handOver(dir);
        return dir;
    }

    /** Writes {@code text} to {@code file}, owned by the servers' user and readable by it only. */
    public static Path write(Path file, String text) throws IOException {
        Files.writeString(file, text);
        handOver(file);
        return file;
    }

    /** Makes {@code path} (a file or a whole tree) belong to the servers' user, owner-only (0700/0600) except executables (0700). */
    public static void handOver(Path path) throws IOException {
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                own(dir, "rwx------");
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                own(file, Files.isExecutable(file) ? "rwx------" : "rw-------");
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void own(Path path, String permissions) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        if (ROOT) {
            Files.setAttribute(path, "unix:uid", NOBODY, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", NOBODY, LinkOption.NOFOLLOW_LINKS);
        }
    }
}
