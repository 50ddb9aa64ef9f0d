package dev.drawbridge.proxy.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which files of the data directory a backup holds (docs/operations.md says why):
 * <ul>
 *   <li>{@code pki/} and {@code secrets/}, whole: the server CA and the connector CA (PKCS#12, with their keystore
 *   password), the server CA certificate, the token signing keys and the SSO signing keys, the data key that seals
 *   secrets in the database, the admin credential's hash. Without the CAs, connectors' certificates and browsers' trust
 *   break; without the data key, the secrets in the database are noise.</li>
 *   <li>{@code db/drawbridge.mv.db}, the embedded database, copied by H2 itself (never read from the disk while the
 *   server writes it); H2's other files there (trace, temporary) are not needed.</li>
 * </ul>
 * Left out: {@link LocalControl#FILE} (the running server's own token, new at every start) and temporary files. Any
 * other entry of the data directory is named by the backup command as left out.
 */
public final class DataDirFiles {
    /** Folders whose every regular file is key material. */
    static final List<String> KEY_FOLDERS = List.of("pki", "secrets");
    /** Without these, a folder is not a Drawbridge server's data directory. */
    static final List<String> REQUIRED = List.of("pki/server-ca.p12", "pki/connector-ca.p12", "secrets/keystore-password");
    /** Entries of the data directory a backup leaves out on purpose. */
    private static final Set<String> NOT_COPIED = Set.of("db", LocalControl.FILE);
    private static final Set<String> TOP = Set.of("pki", "secrets", "db");
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private DataDirFiles() {
    }

    /** The key material of {@code dataDir}, as sorted relative paths with {@code /}. */
    static List<String> keyFiles(Path dataDir) throws BackupException {
        for (String r : REQUIRED) {
            if (!Files.isRegularFile(dataDir.resolve(r))) {
                throw new BackupException(dataDir + " is not the data directory of a Drawbridge server (it has no " + r + "): give the"
                        + " server's with --data-dir.");
            }
        }
        List<String> files = new ArrayList<>();
        for (String folder : KEY_FOLDERS) {
            try (Stream<Path> walk = Files.walk(dataDir.resolve(folder))) {
                for (Path p : walk.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).toList()) {
                    String rel = relative(dataDir, p);
                    if (!rel.endsWith(".tmp") && isValid(rel)) {
                        files.add(rel);
                    }
                }
            } catch (IOException e) {
                throw new BackupException("cannot read the key files in " + dataDir.resolve(folder) + " (" + Failures.reason(e)
                        + "): run the backup as the server's user (e.g. sudo -u drawbridge).", e);
            }
        }
        return files.stream().sorted().toList();
    }

    /** The entries of {@code dataDir} that no backup holds and that are not left out on purpose. */
    static List<String> leftOut(Path dataDir) {
        try (Stream<Path> list = Files.list(dataDir)) {
            return list.map(p -> p.getFileName().toString())
                    .filter(n -> !KEY_FOLDERS.contains(n) && !NOT_COPIED.contains(n) && !n.startsWith(LocalControl.FILE + "."))
                    .sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Throws unless {@code rel} is a path a backup may hold: under pki/, secrets/ or db/, plain names, no {@code ..}. */
    static void checkRelative(String rel) {
        if (!isValid(rel)) {
            throw new IllegalArgumentException("'" + rel + "' is not a data directory file a backup may hold");
        }
    }

    static boolean isValid(String rel) {
        String[] segments = rel.split("/", -1);
        if (segments.length < 2 || segments.length > 4 || !TOP.contains(segments[0])) {
            return false;
        }
        for (String s : segments) {
            if (!SEGMENT.matcher(s).matches()) {
                return false;
            }
        }
        return true;
    }

    /** {@code rel} under {@code dir}, checked. */
    static Path resolve(Path dir, String rel) {
        checkRelative(rel);
        Path p = dir.resolve(rel).normalize();
        if (!p.startsWith(dir.normalize())) {
            throw new IllegalArgumentException("'" + rel + "' leaves " + dir);
        }
        return p;
    }

    private static String relative(Path dataDir, Path file) {
        return dataDir.relativize(file).toString().replace('\\', '/');
    }
}
