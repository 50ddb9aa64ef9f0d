package dev.drawbridge.cli;

import dev.drawbridge.cli.OfflineCli.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code drawbridge apps sso shared-credential set} without a server: a credential HTTP Basic cannot carry is refused
 * here, each problem naming its flag, exit 2, nothing sent (the server given is a closed port: a call would exit 3); the
 * password is read from standard input only when asked, never from an argument, and never appears in any output.
 */
class SharedCredentialCommandsTest {
    @TempDir
    Path dir;

    private Run run(String stdin, String... args) throws Exception {
        return OfflineCli.runWithInput(dir, stdin, args);
    }

    @Test
    void aCredentialBasicCannotCarryIsRefusedNamingEachProblemAndNothingIsSent() throws Exception {
        Run r = run("bad-secret\u0000x\n", "apps", "sso", "shared-credential", "set", "Wiki", "--username", "svc:wiki", "--password-stdin");
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        List<String> lines = r.err().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("error: the shared credential is not valid, nothing was sent:");
        assertThat(lines.subList(1, lines.size())).satisfiesExactly(l -> assertThat(l).startsWith("  --username: ").contains("':'"),
                l -> assertThat(l).startsWith("  the password: ").contains("control characters"));
        assertThat(r.err()).doesNotContain("bad-secret", "cannot reach", "Exception");
    }

    @Test
    void aValidCredentialIsSentAndThePasswordNeverShown() throws Exception {
        Run r = run("the-shared-secret\n", "apps", "sso", "shared-credential", "set", "Wiki", "--username", "svc-wiki", "--password-stdin");
        // Sent: the closed port answers nothing, so the command reports it cannot reach the server.
        assertThat(r.exit()).as(r.err()).isEqualTo(CliException.UNREACHABLE);
        assertThat(r.out() + r.err()).doesNotContain("the-shared-secret");
    }

    @Test
    void thePasswordNeverComesFromAnArgumentOrAnEmptyInput() throws Exception {
        Run noTerminal = run("", "apps", "sso", "shared-credential", "set", "Wiki", "--username", "svc");
        assertThat(noTerminal.exit()).isEqualTo(2);
        assertThat(noTerminal.err()).contains("no terminal").contains("--password-stdin");
        Run empty = run("", "apps", "sso", "shared-credential", "set", "Wiki", "--username", "svc", "--password-stdin");
        assertThat(empty.exit()).isEqualTo(2);
        assertThat(empty.err()).contains("standard input is empty");
        Run asArgument = run("", "apps", "sso", "shared-credential", "set", "Wiki", "--username", "svc", "--password", "x");
        assertThat(asArgument.exit()).isEqualTo(2);
        Run noUser = run("pw\n", "apps", "sso", "shared-credential", "set", "Wiki", "--password-stdin");
        assertThat(noUser.exit()).isEqualTo(2);
        assertThat(noUser.err()).contains("--username");
    }
}
