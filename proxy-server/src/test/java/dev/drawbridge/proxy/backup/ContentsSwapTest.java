package dev.drawbridge.proxy.backup;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link ContentsSwap} when a move fails: undone, the data directory holds what it held; when the undo fails too, the
 * failure says truly where each former entry is, and what restore tells the operator names them and what to move
 * (it used to say "the data directory was left as it was", which was false then).
 */
class ContentsSwapTest {
    @TempDir
    Path target;

    private Path staging;

    private void dataDirectory() throws IOException {
        Files.writeString(target.resolve("drawbridge.mv.db"), "former database");
        Files.writeString(target.resolve("server.yaml"), "former config");
        Files.createDirectories(target.resolve("pki"));
        Files.writeString(target.resolve("pki/ca.pem"), "former ca");
        staging = Files.createDirectory(target.resolve(".restoring-1"));
        Files.writeString(staging.resolve("drawbridge.mv.db"), "restored database");
        Files.writeString(staging.resolve("server.yaml"), "restored config");
        Files.writeString(staging.resolve("new-file"), "restored only");
    }

    /**
     * Renames, but fails the third move into the data directory (the last restored entry), and, when {@code undoFails},
     * the move back out of the first restored entry whose former one exists: the undo cannot finish.
     */
    private final class Mover implements ContentsSwap.Mover {
        final boolean undoFails;
        final List<String> movedIn = new ArrayList<>();
        String stuck;

        Mover(boolean undoFails) {
            this.undoFails = undoFails;
        }

        @Override
        public void move(Path from, Path to) throws IOException {
            if (to.getParent().equals(target) && from.getParent().equals(staging)) {
                if (movedIn.size() == 2) {
                    throw new IOException("injected failure moving " + from.getFileName() + " in");
                }
                movedIn.add(from.getFileName().toString());
            }
            if (undoFails && stuck == null && to.getParent().equals(staging) && !from.getFileName().toString().equals("new-file")) {
                stuck = from.getFileName().toString();
                throw new IOException("injected failure moving " + stuck + " back");
            }
            Files.move(from, to);
        }
    }

    @Test
    void aFailedMoveIsUndoneAndTheDirectoryHoldsWhatItHeld() throws IOException {
        dataDirectory();

        assertThatThrownBy(() -> ContentsSwap.swap(target, staging, ".before-restore-x", new Mover(false)))
                .isInstanceOf(IOException.class).isNotInstanceOf(NotUndoneException.class).hasMessageContaining("injected");

        assertThat(names(target)).containsExactlyInAnyOrder("drawbridge.mv.db", "server.yaml", "pki", ".restoring-1");
        assertThat(Files.readString(target.resolve("drawbridge.mv.db"))).isEqualTo("former database");
        assertThat(Files.readString(target.resolve("server.yaml"))).isEqualTo("former config");
        assertThat(names(staging)).hasSize(3);
    }

    @Test
    void whenTheUndoFailsTooTheFailureAndTheMessageSayWhereTheFormerEntriesAre() throws IOException {
        dataDirectory();
        Mover mover = new Mover(true);

        NotUndoneException e = assertThrows(NotUndoneException.class, () -> ContentsSwap.swap(target, staging, ".before-restore-x", mover));

        // Of the two restored entries moved in, one has a former namesake that could not go back.
        String stuck = mover.stuck;
        assertThat(stuck).isIn("drawbridge.mv.db", "server.yaml");
        String former = stuck.equals("server.yaml") ? "former config" : "former database";
        String restored = stuck.equals("server.yaml") ? "restored config" : "restored database";
        Path aside = target.resolve(".before-restore-x");
        assertThat(e.formerAt()).contains(aside);
        assertThat(e.restoredLeft()).containsExactly(stuck);
        assertThat(e.formerLeft()).containsExactly(stuck);
        // What it says is so: that former entry is in the aside folder, the restored one in the data directory, the other
        // former entries back in place.
        assertThat(Files.readString(aside.resolve(stuck))).isEqualTo(former);
        assertThat(Files.readString(target.resolve(stuck))).isEqualTo(restored);
        assertThat(Files.readString(target.resolve("pki/ca.pem"))).isEqualTo("former ca");
        assertThat(names(aside)).containsExactly(stuck);

        String message = Restore.notUndone(target, true, e);
        assertThat(message).doesNotContain("left as it was").contains("injected failure moving " + stuck + " back")
                .contains("remove the restored " + stuck + " from " + target)
                .contains("move the former " + stuck + " from " + aside + " back into " + target)
                .contains("Nothing was deleted");
    }

    @Test
    void aWholeDirectoryMovedAsideAndNotBackIsNamedWithTheCommandThatPutsItBack() {
        Path target = Path.of("/var/lib/drawbridge");
        Path aside = Path.of("/var/lib/drawbridge.before-restore-x");
        NotUndoneException e = new NotUndoneException(new IOException("no space left on device"), new IOException("busy"),
                Optional.of(aside), List.of(), List.of());

        assertThat(Restore.notUndone(target, false, e)).doesNotContain("left as it was")
                .contains("the former data directory is now " + aside).contains("mv " + aside + " " + target);
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
