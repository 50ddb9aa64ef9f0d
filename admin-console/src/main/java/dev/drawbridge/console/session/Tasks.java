package dev.drawbridge.console.session;

import java.util.function.Consumer;

/**
 * Runs work off the UI thread and delivers its result on it. A failure becomes a notification
 * ({@code what} failed: reason); the UI shows progress while any task runs.
 */
public interface Tasks {
    /** Work that calls the server. */
    interface Work<T> {
        T call() throws Exception;
    }

    /** Runs {@code work} in the background; {@code onSuccess} runs on the UI thread. */
    <T> void run(String what, Work<T> work, Consumer<? super T> onSuccess);

    /** As {@link #run}, with {@code onFailure} run on the UI thread after the failure was reported. */
    <T> void run(String what, Work<T> work, Consumer<? super T> onSuccess, Consumer<Exception> onFailure);

    /** Same, without reporting the failure as a notification: the caller shows it itself. */
    <T> void runQuietly(String what, Work<T> work, Consumer<? super T> onSuccess, Consumer<Exception> onFailure);
}
