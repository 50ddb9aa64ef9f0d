package dev.drawbridge.connector.sso.kerberos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The connector's Kerberos files, in {@code <state>/kerberos/} (0700): the keytab and a krb5.conf, both 0600, each
 * replaced atomically (written aside, then moved) with its permissions set when created, so no reader ever sees a
 * half-written file or a moment where the keytab is readable by others.
 */
final class KerberosFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private final Path dir;

    /** The files under {@code stateDirectory}/kerberos, created if needed. */
    KerberosFiles(Path stateDirectory) throws IOException {
        this.dir = stateDirectory.resolve("kerberos");
        if (POSIX) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
            Files.setPosixFilePermissions(dir, OWNER_DIR);
        } else {
            Files.createDirectories(dir);
        }
    }

    Path keytab() {
        return dir.resolve("connector.keytab");
    }

    Path krb5Conf() {
        return dir.resolve("krb5.conf");
    }

    /** Deletes the keytab (the group's Kerberos settings were removed). */
    void deleteKeytab() throws IOException {
        Files.deleteIfExists(keytab());
    }

    void writeKeytab(byte[] keytab) throws IOException {
        replace(keytab(), keytab);
    }

    void writeKrb5Conf(String text) throws IOException {
        replace(krb5Conf(), text.getBytes(StandardCharsets.UTF_8));
    }

    private void replace(Path target, byte[] content) throws IOException {
        Path temp = POSIX ? Files.createTempFile(dir, ".new-", ".tmp", owner()) : Files.createTempFile(dir, ".new-", ".tmp");
        try {
            Files.write(temp, content);
            try {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> owner() {
        return PosixFilePermissions.asFileAttribute(OWNER_FILE);
    }

    /**
     * A krb5.conf naming every realm in {@code realms} (the JVM's Kerberos configuration is one file, see
     * {@link JvmKerberosConfig}), {@code defaultRealm} first. No DNS: KDCs are listed, names are never canonicalized,
     * TCP only (UDP would wait a whole timeout for a KDC that is down), one try of each KDC with the settings' timeout.
     */
    static String krb5Conf(String defaultRealm, Collection<KerberosSettings> realms) {
        String blocks = realms.stream().map(s -> """
                  %s = {
                %s    kdc_timeout = %d
                    max_retries = 1
                  }
                """.formatted(s.realm(), s.kdcs().stream().map(k -> "    kdc = " + k + "\n").collect(Collectors.joining()),
                s.kdcTimeout().toMillis())).collect(Collectors.joining());
        return """
                # Written by the Drawbridge connector from the Kerberos settings its server sent; replaced on every change.
                [libdefaults]
                  default_realm = %s
                  dns_lookup_kdc = false
                  dns_lookup_realm = false
                  rdns = false
                  dns_canonicalize_hostname = false
                  udp_preference_limit = 1
                  forwardable = true
                [realms]
                %s""".formatted(defaultRealm, blocks);
    }
}
