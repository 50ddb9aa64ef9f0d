package dev.drawbridge.console.session;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;

import java.util.function.Consumer;

/**
 * A form a dialog shows (a new user, a policy, a certificate…): its fields' errors, and whether the server is busy
 * with it. {@link #save} sends it the way every dialog of the console does: the dialog stays open until the server
 * accepts, and the server's field errors land on the fields.
 */
public abstract class DialogForm {
    private final BooleanProperty busy = new SimpleBooleanProperty(false);

    /** The form's fields and their errors. */
    public abstract FieldErrors errors();

    /** A save is on its way to the server. */
    public BooleanProperty busyProperty() {
        return busy;
    }

    /**
     * Sends the form: busy meanwhile; {@code accepted} gets the server's answer (and closes the dialog); on failure
     * the server's field errors go on the fields and the rest is reported under {@code failure}.
     */
    public <T> void save(Tasks tasks, Notices notices, String what, String failure, Tasks.Work<T> work, Consumer<? super T> accepted) {
        if (busy.get()) {
            return;
        }
        busy.set(true);
        tasks.runQuietly(what, work, result -> {
            busy.set(false);
            accepted.accept(result);
        }, e -> {
            busy.set(false);
            notices.error(failure, errors().failed(e));
        });
    }
}
