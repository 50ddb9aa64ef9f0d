package dev.drawbridge.proxy.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileOwnerAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code drawbridge-server restore}: a sealed backup back into a data directory, only while no server runs on it.
 * <ol>
 *   <li>the whole archive is read and authenticated first (a wrong passphrase, a modified or cut-short file: one
 *   sentence, nothing written);</li>
 *   <li>it is read again into a new folder beside the data directory (0700, files 0600);</li>
 *   <li>then, and only then, an existing data directory is moved aside ({@code --force}; its new name is reported) and
 *   the new folder renamed into place.</li>
 * </ol>
 * When the data directory exists and its parent is not writable by this user (the package's {@code /var/lib/drawbridge},
 * restored by its service user: {@code /var/lib} is root's), the directory itself stays and its contents are swapped
 * ({@link ContentsSwap}): the new folder is made inside it, and its former contents move into
 * {@code .before-restore-<time>} inside it. Run as root on a data directory owned by the service user, the restored files
 * get that owner.
 */
public final class Restore {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * What was restored, and where the former data directory went ({@code contentsOnly}: its contents, into a folder inside
     * it, the directory itself being kept).
     */
    public record Result(Manifest manifest, Path dataDir, Optional<Path> movedAside, boolean contentsOnly) {
    }

    private Restore() {
    }

    public static Result run(Path from, Path dataDir, boolean force, char[] passphrase, Clock clock) throws BackupException {
        Path target = dataDir.toAbsolutePath().normalize();
        refuseIfRunning(target);
        String name = from.toString();
        requireReadable(from);
        Manifest manifest = read(from, passphrase, ArchiveReader.Target.DISCARD);
        boolean exists = Files.exists(target);
        if (exists && !Files.isDirectory(target)) {
            throw new BackupException(target + " is a file, not a data directory: give another with --data-dir.");
        }
        boolean empty = !exists || isEmpty(target);
        if (!empty && !force) {
            throw new BackupException("the data directory " + target + " is not empty: restore into a new or empty one with --data-dir,"
                    + " or add --force to move it aside first (nothing was changed).");
        }
        Path parent = target.getParent();
        // Renaming the data directory needs its parent writable: when it is not, its contents are swapped instead.
        boolean inPlace = exists && !Files.isWritable(parent);
        if (inPlace) {
            refuseAnotherUsersDirectory(target);
        }
        String id = HexFormat.of().formatHex(random());
        Path staging = inPlace ? target.resolve(".restoring-" + id) : parent.resolve("." + target.getFileName() + ".restoring-" + id);
        try {
            Files.createDirectories(parent);
            directory(staging);
            read(from, passphrase, (relative, content) -> write(staging, relative, content));
            Optional<UserPrincipal> owner = exists ? Optional.of(Files.getOwner(target)) : Optional.empty();
            if (owner.isPresent()) {
                // Only what this restore wrote, while it is still in the staging folder (0700, this user's): never the
                // former entries, where the owner could have planted a link to another user's file.
                chownContents(staging, owner.get());
            }
            refuseIfRunning(target);
            Optional<Path> aside = Optional.empty();
            if (inPlace) {
                aside = ContentsSwap.swap(target, staging, ".before-restore-" + STAMP.format(clock.instant()));
            } else if (!empty) {
                Path a = parent.resolve(target.getFileName() + ".before-restore-" + STAMP.format(clock.instant()));
                Files.move(target, a, StandardCopyOption.ATOMIC_MOVE);
                aside = Optional.of(a);
            } else if (exists) {
                Files.delete(target);
            }
            if (!inPlace) {
                try {
                    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    if (aside.isPresent()) {
                        try {
                            Files.move(aside.get(), target, StandardCopyOption.ATOMIC_MOVE);
                        } catch (IOException undo) {
                            e.addSuppressed(undo);
                            throw new NotUndoneException(e, undo, aside, List.of(), List.of());
                        }
                    }
                    throw e;
                }
            }
            if (owner.isPresent()) {
                // Last, once the tree under it is the owner's: the new directory itself, or the folder of the former entries.
                Optional<Path> made = inPlace ? aside : Optional.of(target);
                if (made.isPresent()) {
                    setOwner(made.get(), owner.get());
                }
            }
            return new Result(manifest, target, aside, inPlace);
        } catch (NotUndoneException e) {
            throw new BackupException(notUndone(target, inPlace, e), e);
        } catch (IOException e) {
            throw new BackupException("cannot restore into " + target + " (" + Failures.reason(e) + "): the data directory was left as it"
                    + " was.", e);
        } finally {
            deleteTree(staging);
        }
    }

    /**
     * What to tell when the restore failed and so did putting the data directory back: where its former entries (or the
     * whole former directory) are, and what to move, so the operator can put it back by hand. Nothing is deleted then.
     */
    static String notUndone(Path target, boolean contentsOnly, NotUndoneException e) {
        String head = "cannot restore into " + target + " (" + Failures.reason(e.failure()) + "), and putting the data directory back"
                + " failed too (" + Failures.reason(e.undoFailure()) + "): ";
        String tail = " before starting the server. Nothing was deleted.";
        if (!contentsOnly) {
            Path at = e.formerAt().orElseThrow();
            return head + "the former data directory is now " + at + ": move it back (mv " + at + " " + target + ")" + tail;
        }
        List<String> steps = new ArrayList<>();
        String folder = e.formerAt().map(Path::toString).orElse("");
        if (!e.restoredLeft().isEmpty()) {
            steps.add("remove the restored " + String.join(", ", e.restoredLeft()) + " from " + target);
        }
        if (!e.formerLeft().isEmpty()) {
            steps.add("move the former " + String.join(", ", e.formerLeft()) + " from " + folder + " back into " + target);
        }
        if (!folder.isEmpty()) {
            steps.add("remove the folder " + folder + " once it is empty");
        }
        String state = e.formerLeft().isEmpty() && e.restoredLeft().isEmpty() ? "its former entries are back, but "
                : "the data directory is partly restored: ";
        return head + state + String.join(", then ", steps) + tail;
    }

    /**
     * The backup file is there and this user can read it. Under sudo the package's {@code drawbridge-server} runs restore
     * as the service's user, which cannot reach a file in root's home: said as such, not as "no backup file". The file
     * is not read as root on that user's behalf: a program that opens files as root for a less privileged one is a
     * confused deputy (a sudo rule for this command would then read any of root's files); copying it is the operator's
     * choice, made with root's own tools.
     */
    private static void requireReadable(Path from) throws BackupException {
        boolean regular;
        try {
            regular = Files.readAttributes(from, BasicFileAttributes.class).isRegularFile();
        } catch (AccessDeniedException e) {
            throw unreadable(from, System.getProperty("user.name"));
        } catch (IOException e) {
            regular = false;
        }
        if (!regular) {
            throw new BackupException("there is no backup file at " + from + ".");
        }
        if (!Files.isReadable(from)) {
            throw unreadable(from, System.getProperty("user.name"));
        }
    }

    static BackupException unreadable(Path from, String user) {
        return new BackupException("the user " + user + ", which restore runs as (the package's drawbridge-server switches to the"
                + " service's user, under sudo too), cannot read the backup " + from + ": copy it where that user can read it, e.g."
                + " sudo install -D -o " + user + " -m 0600 " + from + " /var/backups/drawbridge/restore.backup, and restore from"
                + " there; nothing was changed.");
    }

    /**
     * Swapping contents works inside the data directory, which its owner can change under this process at any moment
     * (replace the staging folder by a link, plant links among its entries): only its owner may do it.
     */
    private static void refuseAnotherUsersDirectory(Path target) throws BackupException {
        try {
            UserPrincipal owner = Files.getOwner(target, LinkOption.NOFOLLOW_LINKS);
            UserPrincipal self = target.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(System.getProperty(
                    "user.name"));
            if (!owner.equals(self)) {
                throw new BackupException("the data directory " + target + " belongs to " + owner.getName() + " and its parent is not"
                        + " writable, so its contents would be swapped inside it: run restore as " + owner.getName() + " (e.g. sudo -u "
                        + owner.getName() + " drawbridge-server restore ...); nothing was changed.");
            }
        } catch (IOException e) {
            throw new BackupException("cannot tell who owns " + target + " (" + Failures.reason(e) + "); nothing was changed.", e);
        }
    }

    private static void refuseIfRunning(Path dataDir) throws BackupException {
        try {
            if (LocalControl.isRunning(dataDir)) {
                throw new BackupException("a Drawbridge server is running on " + dataDir + ": stop it first (e.g. sudo systemctl stop"
                        + " drawbridge-server), then restore; nothing was changed.");
            }
        } catch (IOException e) {
            throw new BackupException("cannot tell whether a server runs on " + dataDir + " (" + Failures.reason(e) + "): run restore as"
                    + " the server's user or root.", e);
        }
    }

    private static Manifest read(Path from, char[] passphrase, ArchiveReader.Target target) throws BackupException {
        try (InputStream in = Files.newInputStream(from)) {
            return ArchiveReader.read(Envelope.open(in, passphrase, from.toString()), from.toString(), target);
        } catch (IOException e) {
            throw new BackupException("cannot read the backup " + from + " (" + Failures.reason(e) + ").", e);
        }
    }

    private static void write(Path staging, String relative, InputStream content) throws BackupException {
        Path file = DataDirFiles.resolve(staging, relative);
        OutputStream out;
        try {
            // Folders inside the staging folder (0700) are out of other users' reach whatever their own mode.
            if (!Files.isDirectory(file.getParent())) {
                directory(file.getParent());
            }
            out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            restrict(file);
        } catch (IOException e) {
            throw new BackupException("cannot write " + file + " (" + Failures.reason(e) + "): nothing was restored.", e);
        }
        try (out) {
            byte[] buf = new byte[64 * 1024];
            while (true) {
                int n;
                try {
                    n = content.read(buf);
                } catch (IOException e) {
                    throw new ArchiveReader.DamagedException(e);
                }
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            throw new BackupException("cannot write " + file + " (" + Failures.reason(e) + "): nothing was restored.", e);
        }
    }

    private static void directory(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (POSIX) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    private static void restrict(Path file) throws IOException {
        if (POSIX) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    private static boolean isEmpty(Path dir) throws BackupException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new BackupException("cannot read the data directory " + dir + " (" + Failures.reason(e) + ").", e);
        }
    }

    /**
     * Gives every entry under {@code root} (not {@code root} itself) {@code owner}, children before their folder, never
     * through a link (when root restores the service user's data directory).
     */
    static void chownContents(Path root, UserPrincipal owner) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.filter(p -> !p.equals(root)).sorted(Comparator.reverseOrder()).toList()) {
                setOwner(p, owner);
            }
        }
    }

    private static void setOwner(Path p, UserPrincipal owner) throws IOException {
        if (!Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).equals(owner)) {
            Files.getFileAttributeView(p, FileOwnerAttributeView.class, LinkOption.NOFOLLOW_LINKS).setOwner(owner);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a leftover staging folder: its name says what it is
        }
    }

    private static byte[] random() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return b;
    }
}
