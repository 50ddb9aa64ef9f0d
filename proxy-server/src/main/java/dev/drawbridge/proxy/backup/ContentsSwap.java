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
 * undone in reverse, so the directory holds what it held before; when the undo fails too, the failure says which former
 * entries are still in the {@code .before-restore-*} folder ({@link NotUndoneException}).
 */
final class ContentsSwap {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private ContentsSwap() {
    }

    /** One rename; a test's stands in to fail where it likes. */
    @FunctionalInterface
    interface Mover {
        void move(Path from, Path to) throws IOException;
    }

    private static final Mover RENAME = (from, to) -> Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);

    /**
     * Moves every entry of {@code target} but {@code staging} into {@code target/asideName} (made only when there is one),
     * then every entry of {@code staging} into {@code target}; returns the folder holding the former entries, if any. When
     * a move fails, the moves done are undone and the failure thrown; when the undo fails too, {@link NotUndoneException}
     * says where the former entries are.
     */
    static Optional<Path> swap(Path target, Path staging, String asideName) throws IOException {
        return swap(target, staging, asideName, RENAME);
    }

    static Optional<Path> swap(Path target, Path staging, String asideName, Mover mover) throws IOException {
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
                    mover.move(p, aside.resolve(p.getFileName()));
                    movedOut.add(p.getFileName());
                }
            }
            for (Path p : restored) {
                mover.move(p, target.resolve(p.getFileName()));
                movedIn.add(p.getFileName());
            }
        } catch (IOException e) {
            undo(target, staging, aside, asideMade, movedOut, movedIn, mover, e);
            throw e;
        }
        return former.isEmpty() ? Optional.empty() : Optional.of(aside);
    }

    /**
     * Puts back what a failed swap moved, as far as it can: each move is tried even when one before it failed, but a
     * former entry goes back only where no restored one is still in its place (a rename would replace it). Returns when
     * the directory holds what it held before; else throws {@link NotUndoneException} naming what is where.
     */
    private static void undo(Path target, Path staging, Path aside, boolean asideMade, List<Path> movedOut, List<Path> movedIn,
                             Mover mover, IOException failure) throws NotUndoneException {
        List<String> restoredLeft = new ArrayList<>(), formerLeft = new ArrayList<>();
        IOException undoFailure = null;
        for (Path name : movedIn.reversed()) {
            try {
                mover.move(target.resolve(name), staging.resolve(name));
            } catch (IOException u) {
                restoredLeft.add(name.toString());
                undoFailure = first(undoFailure, u);
            }
        }
        for (Path name : movedOut.reversed()) {
            try {
                if (restoredLeft.contains(name.toString())) {
                    throw new IOException("a restored entry is still in its place");
                }
                mover.move(aside.resolve(name), target.resolve(name));
            } catch (IOException u) {
                formerLeft.add(name.toString());
                undoFailure = first(undoFailure, u);
            }
        }
        if (asideMade && formerLeft.isEmpty()) {
            try {
                Files.delete(aside);
            } catch (IOException u) {
                undoFailure = first(undoFailure, u);
            }
        }
        if (undoFailure != null) {
            failure.addSuppressed(undoFailure);
            throw new NotUndoneException(failure, undoFailure, asideMade ? Optional.of(aside) : Optional.empty(), formerLeft.reversed(),
                    restoredLeft.reversed());
        }
    }

    private static IOException first(IOException kept, IOException next) {
        return kept != null ? kept : next;
    }

    private static List<Path> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
