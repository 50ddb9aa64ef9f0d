package dev.drawbridge.connector.sso.kerberos;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The connector's Kerberos files: owner-only, replaced whole, and a krb5.conf that names every realm with no DNS and a short KDC timeout. */
class KerberosFilesTest {
    @TempDir
    Path state;

    @Test
    void filesAreOwnerOnlyAndReplacedWhole() throws Exception {
        KerberosFiles files = new KerberosFiles(state);
        files.writeKeytab(new byte[] {5, 2, 1});
        files.writeKeytab(new byte[] {5, 2, 7});
        files.writeKrb5Conf("x");
        assertThat(Files.readAllBytes(files.keytab())).containsExactly(5, 2, 7);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.keytab()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.krb5Conf()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("kerberos")))).isEqualTo("rwx------");
        try (var left = Files.list(state.resolve("kerberos"))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("connector.keytab", "krb5.conf");
        }
    }

    @Test
    void aLooseStateDirectoryIsTightened() throws Exception {
        Path dir = Files.createDirectories(state.resolve("kerberos"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        new KerberosFiles(state);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    }

    @Test
    void krb5ConfNamesEveryRealmAndItsKdcs() {
        byte[] keytab = {5, 2};
        KerberosSettings corp = new KerberosSettings("CORP.EXAMPLE", List.of(KerberosSettings.Kdc.parse("dc1.corp.example"),
                KerberosSettings.Kdc.parse("[2001:db8::5]:750")), "HTTP/c", keytab, Duration.ofMillis(1500));
        KerberosSettings lab = new KerberosSettings("LAB", List.of(KerberosSettings.Kdc.parse("10.0.0.1")), "HTTP/c", keytab);
        String conf = KerberosFiles.krb5Conf("CORP.EXAMPLE", List.of(corp, lab));
        assertThat(conf).contains("default_realm = CORP.EXAMPLE", "dns_lookup_kdc = false", "rdns = false", "dns_canonicalize_hostname = false",
                "udp_preference_limit = 1", "  CORP.EXAMPLE = {\n    kdc = dc1.corp.example:88\n    kdc = [2001:db8::5]:750\n    kdc_timeout = 1500\n"
                        + "    max_retries = 1\n  }", "  LAB = {\n    kdc = 10.0.0.1:88\n    kdc_timeout = 3000\n");
    }
}
