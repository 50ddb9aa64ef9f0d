package dev.drawbridge.proxy.backup;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Root restoring a data directory owned by the service user whose parent it cannot write (contents swapped in place) is
 * refused: the owner could change the directory under it (main chowned root's file through a link planted in the former
 * entries). Restored files get the owner only while in root's staging folder, never through a link.
 */
class RestoreOwnershipTest {
    private static final char[] PASSPHRASE = "a long enough passphrase".toCharArray();

    @TempDir
    Path dir;

    private Path backup() throws Exception {
        Manifest m = new Manifest(Manifest.FORMAT, Instant.parse("2026-12-01T00:00:00Z"), "test", Manifest.Database.EMBEDDED,
                Manifest.Consistency.OFFLINE, List.of("pki/server-ca.p12", "secrets/data-key", Manifest.H2_FILE));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArchiveWriter w = new ArchiveWriter(Envelope.seal(out, PASSPHRASE, new KdfParams(8 * 1024, 1, 1)), m)) {
            w.file("pki/server-ca.p12", new ByteArrayInputStream("ca".getBytes()));
            w.file("secrets/data-key", new ByteArrayInputStream("key".getBytes()));
            w.file(Manifest.H2_FILE, new ByteArrayInputStream(new byte[16 * 1024]));
        }
        Path file = dir.resolve("b.backup");
        Files.write(file, out.toByteArray());
        return file;
    }

    private static boolean immutable(Path p, boolean on) throws Exception {
        Process chattr = new ProcessBuilder("chattr", on ? "+i" : "-i", p.toString()).redirectErrorStream(true).start();
        chattr.getInputStream().readAllBytes();
        return chattr.waitFor() == 0;
    }

    @Test
    void rootCannotSwapTheContentsOfAnotherUsersDataDirectory() throws Exception {
        assumeThat(System.getProperty("user.name")).as("only root can give files to another user").isEqualTo("root");
        Path from = backup();
        Path rootsSecret = Files.writeString(dir.resolve("roots-secret"), "root's");
        UserPrincipal root = Files.getOwner(rootsSecret);
        Path parent = Files.createDirectory(dir.resolve("lib"));
        Path data = Files.createDirectories(parent.resolve("drawbridge/secrets"));
        Files.writeString(data.resolve("data-key"), "old key");
        Path target = parent.resolve("drawbridge");
        Files.createSymbolicLink(target.resolve("planted-symlink"), rootsSecret);
        UserPrincipal service = target.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        for (Path p : List.of(target, data, data.resolve("data-key"))) {
            Files.setOwner(p, service);
        }
        Files.getFileAttributeView(target.resolve("planted-symlink"), PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS).setOwner(service);
        // The parent is not writable even by root (as /var/lib on a read-only root file system): the contents are swapped.
        assumeThat(immutable(parent, true)).as("chattr +i").isTrue();
        try {
            assertThatThrownBy(() -> Restore.run(from, target, true, PASSPHRASE, Clock.fixed(Instant.parse("2026-12-07T08:00:00Z"),
                    ZoneOffset.UTC))).isInstanceOf(BackupException.class).hasMessageContaining("run restore as nobody")
                    .hasMessageContaining("nothing was changed");
        } finally {
            immutable(parent, false);
        }
        assertThat(Files.getOwner(rootsSecret)).as("root's file reached through the planted link").isEqualTo(root);
        assertThat(Files.readString(data.resolve("data-key"))).isEqualTo("old key");
        try (var entries = Files.list(target)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("secrets", "planted-symlink");
        }
    }

    @Test
    void rootRestoringAnotherUsersDataDirectoryGivesThatUserEveryRestoredFileAndNothingElse() throws Exception {
        assumeThat(System.getProperty("user.name")).as("only root can give files to another user").isEqualTo("root");
        Path from = backup();
        Path target = Files.createDirectories(dir.resolve("lib/drawbridge/secrets")).getParent();
        Files.writeString(target.resolve("secrets/data-key"), "old key");
        UserPrincipal service = target.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        for (Path p : List.of(target, target.resolve("secrets"), target.resolve("secrets/data-key"))) {
            Files.setOwner(p, service);
        }
        Restore.Result r = Restore.run(from, target, true, PASSPHRASE, Clock.fixed(Instant.parse("2026-12-07T08:00:00Z"), ZoneOffset.UTC));
        assertThat(r.contentsOnly()).isFalse();
        try (var all = Files.walk(target)) {
            for (Path p : all.toList()) {
                assertThat(Files.getOwner(p, LinkOption.NOFOLLOW_LINKS)).as(p.toString()).isEqualTo(service);
            }
        }
        assertThat(Files.readString(target.resolve("secrets/data-key"))).isEqualTo("key");
        assertThat(Files.readString(r.movedAside().orElseThrow().resolve("secrets/data-key"))).isEqualTo("old key");
    }
}
