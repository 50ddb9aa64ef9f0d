package dev.drawbridge.console.shell;

import dev.drawbridge.console.session.Failures;
import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Tasks;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * {@link Tasks} on an executor (virtual threads in the app), results back on the FX thread. Counts running
 * tasks so the window can show progress, and names the latest one.
 */
public final class FxTasks implements Tasks {
    private static final Logger LOG = LoggerFactory.getLogger(FxTasks.class);
    private final ExecutorService executor;
    private final Notices notices;
    private final ReadOnlyIntegerWrapper running = new ReadOnlyIntegerWrapper(0);
    private final ReadOnlyStringWrapper current = new ReadOnlyStringWrapper("");
    /** Bumped on sign-out: answers to calls of an earlier session are dropped, not reported. */
    private volatile int generation;
    private BooleanSupplier onUnauthorized = () -> false;

    public FxTasks(ExecutorService executor, Notices notices) {
        this.executor = executor;
        this.notices = notices;
    }

    public ReadOnlyIntegerProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty currentProperty() {
        return current.getReadOnlyProperty();
    }

    @Override
    public <T> void run(String what, Work<T> work, Consumer<? super T> onSuccess) {
        run(what, work, onSuccess, e -> { });
    }

    @Override
    public <T> void run(String what, Work<T> work, Consumer<? super T> onSuccess, Consumer<Exception> onFailure) {
        submit(what, work, onSuccess, e -> {
            notices.error(capitalize(what) + " failed", message(e));
            onFailure.accept(e);
        });
    }

    /** The same tasks, reporting failures to {@code notices} (a screen's) instead of the window's. */
    public Tasks reportingTo(Notices notices) {
        FxTasks self = this;
        return new Tasks() {
            @Override
            public <T> void run(String what, Work<T> work, Consumer<? super T> onSuccess) {
                run(what, work, onSuccess, e -> { });
            }

            @Override
            public <T> void run(String what, Work<T> work, Consumer<? super T> onSuccess, Consumer<Exception> onFailure) {
                self.submit(what, work, onSuccess, e -> {
                    notices.error(capitalize(what) + " failed", message(e));
                    onFailure.accept(e);
                });
            }

            @Override
            public <T> void runQuietly(String what, Work<T> work, Consumer<? super T> onSuccess, Consumer<Exception> onFailure) {
                self.submit(what, work, onSuccess, onFailure);
            }
        };
    }

    /**
     * What to do when the server stops accepting the session's token (it expired or was revoked); answers
     * whether it handled it (no session yet: the caller reports the 401 itself).
     */
    public void onUnauthorized(BooleanSupplier r) {
        this.onUnauthorized = r;
    }

    @Override
    public <T> void runQuietly(String what, Work<T> work, Consumer<? super T> onSuccess, Consumer<Exception> onFailure) {
        submit(what, work, onSuccess, onFailure);
    }

    private <T> void submit(String what, Work<T> work, Consumer<? super T> onSuccess, Consumer<Exception> onFailure) {
        int gen = generation;
        running.set(running.get() + 1);
        current.set(capitalize(what) + "…");
        executor.execute(() -> {
            try {
                T result = work.call();
                Platform.runLater(() -> {
                    done();
                    if (gen == generation) {
                        onSuccess.accept(result);
                    }
                });
            } catch (Exception e) {
                LOG.debug("{} failed", what, e);
                Platform.runLater(() -> {
                    done();
                    if (gen == generation) {
                        // Reported once, on the sign-in form; the screens' own failures would only repeat it.
                        if (Failures.status(e) == 401 && onUnauthorized.getAsBoolean()) {
                            return;
                        }
                        onFailure.accept(e);
                    }
                });
            }
        });
    }

    /** Forgets the calls in flight: their answers (or failures) will not reach the screens. */
    public void forgetRunning() {
        generation++;
    }

    private void done() {
        running.set(running.get() - 1);
        if (running.get() == 0) {
            current.set("");
        }
    }

    /** A readable sentence for any failure, never a stack trace. */
    public static String message(Exception e) {
        return Failures.message(e);
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
