package dev.drawbridge.console.directory;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.AdminClientException;
import dev.drawbridge.console.session.Failures;
import dev.drawbridge.console.session.FieldErrors;
import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.console.shell.FxTasks;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the Directory sync and External sign-in forms share: one settings resource on the server, {@link #fetch loaded}
 * (404: not configured, shown as {@code null}) unless the admin has unsaved changes, {@link #store saved}; dirty when the
 * admin edits a field, busy while the server works.
 *
 * @param <S> the settings record the server sends and takes
 */
public abstract class SettingsFormViewModel<S> {
    protected final AdminApi api;
    protected final Tasks tasks;
    protected final Notices notices;
    private final String what;
    private final BooleanProperty configured = new SimpleBooleanProperty(false);
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final BooleanProperty dirty = new SimpleBooleanProperty(false);
    private final StringProperty state = new SimpleStringProperty("");
    private boolean loading;

    /**
     * @param what the settings in a sentence, e.g. "directory sync" ("Could not load directory sync")
     */
    SettingsFormViewModel(AdminApi api, Tasks tasks, Notices notices, String what) {
        this.api = api;
        this.tasks = tasks;
        this.notices = notices;
        this.what = what;
    }

    /** Reads the settings from the server (a 404 {@code AdminApiException}: none). */
    abstract S fetch() throws AdminClientException;

    /** Saves the settings; answers what the server saved. */
    abstract S store(S settings) throws AdminClientException;

    /** The form's fields and their errors. */
    public abstract FieldErrors errors();

    /** Puts loaded or saved settings on the fields ({@code null}: not configured), by {@link #load}. */
    abstract void show(S settings);

    /** The server has settings (GET answered 200). */
    public BooleanProperty configuredProperty() {
        return configured;
    }

    public BooleanProperty busyProperty() {
        return busy;
    }

    /** Changed since loaded or saved. */
    public BooleanProperty dirtyProperty() {
        return dirty;
    }

    /** What the server has, in a sentence: "Not configured: …", "Configured: syncs every 60 minutes, …", … */
    public StringProperty stateProperty() {
        return state;
    }

    /** The form becomes dirty when one of {@code inputs} changes, except while {@link #load loading}. */
    void track(ObservableValue<?>... inputs) {
        // Change listeners: an invalidation listener would miss changes to a value nobody reads.
        for (ObservableValue<?> o : inputs) {
            o.addListener((x, was, now) -> {
                if (!loading) {
                    dirty.set(true);
                }
            });
        }
    }

    /**
     * Notes whether {@code settings} exist and runs {@code setFields}, without counting its changes as the
     * admin's; the form is clean afterwards.
     */
    void load(S settings, Runnable setFields) {
        loading = true;
        try {
            configured.set(settings != null);
            setFields.run();
        } finally {
            loading = false;
        }
        dirty.set(false);
        errors().reset();
    }

    /** Loads the settings unless the admin has unsaved changes or the server is busy with the form. */
    public void refresh() {
        if (dirty.get() || busy.get()) {
            return;
        }
        tasks.runQuietly("load " + what, this::fetch, this::show, e -> {
            if (Failures.notFound(e)) {
                show(null);
            } else {
                notices.error("Could not load " + what, FxTasks.message(e));
            }
        });
    }

    /**
     * Tries to save the {@code settings}: every field shows its error, and when none has one and the form is not busy,
     * the settings are sent; then shows what the server saved,
     * then {@code saved} runs; the server's field errors go on the fields, the rest is reported under
     * {@code failure}.
     */
    void save(Supplier<S> settings, String failure, Consumer<S> saved) {
        FieldErrors errors = errors();
        if (busy.get() || !errors.attempt()) {
            return;
        }
        S s = settings.get();
        busy.set(true);
        tasks.runQuietly("save " + what, () -> store(s), done -> {
            busy.set(false);
            show(done);
            saved.accept(done);
        }, e -> {
            busy.set(false);
            notices.error(failure, errors.failed(e));
        });
    }

    /** The field's text for a value the server left out. */
    static String nz(String s) {
        return s == null ? "" : s;
    }

    /** The value to send for a field: stripped, or null (the server's default) when blank. */
    static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
