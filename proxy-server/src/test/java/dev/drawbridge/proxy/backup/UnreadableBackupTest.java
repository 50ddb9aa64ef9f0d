package dev.drawbridge.proxy.backup;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code restore --from FILE} run by a user that cannot read FILE (the package's {@code sudo drawbridge-server restore}
 * runs as the service user, which cannot reach a file under {@code /root}): the process is told so, with what to do,
 * not "there is no backup file" (which it said before), and nothing is changed. Run bound by file modes, so that root
 * meets a folder it may not search as the service user would.
 */
class UnreadableBackupTest {
    @TempDir
    Path dir;

    @Test
    void aBackupTheUserCannotReachIsSaidToBeUnreadableNotMissing() throws Exception {
        Path locked = Files.createDirectory(dir.resolve("root-only"));
        Path file = Files.writeString(locked.resolve("nightly.backup"), "not read");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        Path data = dir.resolve("data");
        ServerProcess.Run restore;
        try {
            restore = ServerProcess.runBoundByFileModes(Map.of(Passphrase.ENV, "a long enough passphrase"), "restore", "--from",
                    file.toString(), "--data-dir", data.toString());
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }

        assertThat(restore.exit()).isNotZero();
        assertThat(restore.err()).contains("cannot read the backup " + file).contains("sudo install -D -o ")
                .contains("nothing was changed").doesNotContain("there is no backup file").doesNotContain("Exception");
        assertThat(data).doesNotExist();
    }
}
