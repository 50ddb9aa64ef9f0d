package dev.drawbridge.proxy.backup;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A restore into a data directory whose parent the restoring user cannot write (the package's {@code /var/lib/drawbridge},
 * restored by its service user: {@code /var/lib} is root's): the directory itself stays, its entries are swapped. The
 * former entries move into a folder inside it ({@code .before-restore-<time>}, 0700), then the restored ones in from the
 * staging folder (also inside it); every move is a rename on the same file system. When one fails, the moves done are
 * undone in reverse, so the directory holds what it held before.
 */
final class ContentsSwap {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private ContentsSwap() {
    }

    /**
     * Moves every entry of {@code target} but {@code staging} into {@code target/asideName} (made only when there is one),
     * then every entry of {@code staging} into {@code target}; returns the folder holding the former entries, if any.
     */
    static Optional<Path> swap(Path target, Path staging, String asideName) throws IOException {
        Path aside = target.resolve(asideName);
        List<Path> former = entries(target).stream().filter(p -> !p.equals(staging)).toList();
        List<Path> restored = entries(staging);
        List<Path> movedOut = new ArrayList<>(), movedIn = new ArrayList<>();
        boolean asideMade = false;
        try {
            if (!former.isEmpty()) {
                Files.createDirectory(aside);
                asideMade = true;
                if (POSIX) {
                    Files.setPosixFilePermissions(aside, PosixFilePermissions.fromString("rwx------"));
                }
                for (Path p : former) {
                    Files.move(p, aside.resolve(p.getFileName()), StandardCopyOption.ATOMIC_MOVE);
                    movedOut.add(p.getFileName());
                }
            }
            for (Path p : restored) {
                Files.move(p, target.resolve(p.getFileName()), StandardCopyOption.ATOMIC_MOVE);
                movedIn.add(p.getFileName());
            }
        } catch (IOException e) {
            try {
                for (Path name : movedIn.reversed()) {
                    Files.move(target.resolve(name), staging.resolve(name), StandardCopyOption.ATOMIC_MOVE);
                }
                for (Path name : movedOut.reversed()) {
                    Files.move(aside.resolve(name), target.resolve(name), StandardCopyOption.ATOMIC_MOVE);
                }
                if (asideMade) {
                    Files.delete(aside);
                }
            } catch (IOException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
        return former.isEmpty() ? Optional.empty() : Optional.of(aside);
    }

    private static List<Path> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
