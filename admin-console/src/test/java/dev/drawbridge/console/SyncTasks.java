package dev.drawbridge.console;

import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Tasks and notices for view-model tests: work runs at once on the caller's thread; notices are collected. */
public final class SyncTasks implements Tasks, Notices {
    public final List<String> notices = new ArrayList<>();

    @Override
    public <T> void run(String what, Work<T> work, Consumer<? super T> onSuccess) {
        run(what, work, onSuccess, e -> { });
    }

    @Override
    public <T> void run(String what, Work<T> work, Consumer<? super T> onSuccess, Consumer<Exception> onFailure) {
        runQuietly(what, work, onSuccess, e -> {
            notices.add("error: " + what + ": " + e.getMessage());
            onFailure.accept(e);
        });
    }

    @Override
    public <T> void runQuietly(String what, Work<T> work, Consumer<? super T> onSuccess, Consumer<Exception> onFailure) {
        T result;
        try {
            result = work.call();
        } catch (Exception e) {
            onFailure.accept(e);
            return;
        }
        onSuccess.accept(result);
    }

    @Override
    public void info(String title, String text) {
        notices.add("info: " + title + ": " + text);
    }

    @Override
    public void warn(String title, String text) {
        notices.add("warn: " + title + ": " + text);
    }

    @Override
    public void error(String title, String text) {
        notices.add("error: " + title + ": " + text);
    }
}
