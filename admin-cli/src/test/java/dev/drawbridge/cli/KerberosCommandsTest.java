package dev.drawbridge.cli;

import dev.drawbridge.cli.OfflineCli.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code drawbridge connector-groups kerberos set} without a server: settings the shared rules refuse are refused here,
 * every problem on its own line naming its flag, exit 2 and nothing sent (the server given is a closed port: a call
 * would exit 3); an unreadable keytab file names --keytab; the keytab's bytes never appear in the output.
 */
class KerberosCommandsTest {
    @TempDir
    Path dir;

    private Run run(String... args) throws Exception {
        return OfflineCli.run(dir, args);
    }

    @Test
    void everyProblemIsReportedWithItsFlagAndNothingIsSent() throws Exception {
        Path notAKeytab = Files.writeString(dir.resolve("kt"), "secret-looking-bytes");
        Run r = run("connector-groups", "kerberos", "set", "Default", "--realm", "corp.example", "--kdc", "dc1:0",
                "--principal", "HTTP/x@OTHER", "--keytab", notAKeytab.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        List<String> lines = r.err().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("error: the Kerberos settings are not valid, nothing was sent:");
        assertThat(lines.subList(1, lines.size())).satisfiesExactlyInAnyOrder(
                l -> assertThat(l).startsWith("  --realm: ").contains("CORP.EXAMPLE"),
                l -> assertThat(l).startsWith("  --kdc: ").contains("'dc1:0'"),
                l -> assertThat(l).startsWith("  --principal: ").contains("realm"),
                l -> assertThat(l).startsWith("  --keytab: ").contains("not a keytab"));
        assertThat(r.err()).doesNotContain("secret-looking-bytes", "cannot reach", "Exception");
    }

    @Test
    void anUnreadableKeytabNamesTheFlag() throws Exception {
        Run r = run("connector-groups", "kerberos", "set", "Default", "--realm", "CORP.EXAMPLE", "--kdc", "dc1",
                "--principal", "HTTP/x", "--keytab", dir.resolve("missing.keytab").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: --keytab: ").contains("is not a file").doesNotContain("Exception");
    }

    @Test
    void aDeviceIsNeverReadToItsEnd() throws Exception {
        // /dev/zero never ends: it is refused as not a file, at once.
        Run r = run("connector-groups", "kerberos", "set", "Default", "--realm", "CORP.EXAMPLE", "--kdc", "dc1",
                "--principal", "HTTP/x", "--keytab", "/dev/zero");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--keytab: /dev/zero is not a file");
    }

    @Test
    void theRequiredFlagsAreNamed() throws Exception {
        Run r = run("connector-groups", "kerberos", "set", "Default");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--realm", "--kdc", "--principal", "--keytab");
    }
}
