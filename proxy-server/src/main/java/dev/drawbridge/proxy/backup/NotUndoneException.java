package dev.drawbridge.proxy.backup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A restore failed after it had begun moving the data directory's entries, and putting them back failed too: the
 * directory does not hold what it held before. Says where the former entries are ({@link #formerAt}: the folder they were
 * moved into, or the data directory moved aside as a whole), which of them did not go back ({@link #formerLeft}) and
 * which restored entries are still in the data directory ({@link #restoredLeft}), so that the message to the operator is
 * true and says what to move back. Its cause is the failure of the restore; {@link #undoFailure} that of the undo.
 */
final class NotUndoneException extends IOException {
    private final transient IOException undoFailure;
    private final transient Optional<Path> formerAt;
    private final List<String> formerLeft;
    private final List<String> restoredLeft;

    NotUndoneException(IOException failure, IOException undoFailure, Optional<Path> formerAt, List<String> formerLeft,
                       List<String> restoredLeft) {
        super(failure.getMessage(), failure);
        this.undoFailure = undoFailure;
        this.formerAt = formerAt;
        this.formerLeft = List.copyOf(formerLeft);
        this.restoredLeft = List.copyOf(restoredLeft);
    }

    IOException failure() {
        return (IOException) getCause();
    }

    IOException undoFailure() {
        return undoFailure;
    }

    Optional<Path> formerAt() {
        return formerAt;
    }

    List<String> formerLeft() {
        return formerLeft;
    }

    List<String> restoredLeft() {
        return restoredLeft;
    }
}
