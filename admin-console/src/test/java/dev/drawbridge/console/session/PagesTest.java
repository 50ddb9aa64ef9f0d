package dev.drawbridge.console.session;

import dev.drawbridge.console.SyncTasks;
import dev.drawbridge.model.api.Page;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class PagesTest {
    /** Tasks that hold the work until the test lets it finish, in any order. */
    static final class HeldTasks implements Tasks, Notices {
        final SyncTasks now = new SyncTasks();
        final List<Runnable> held = new ArrayList<>();

        @Override
        public <T> void run(String what, Work<T> work, Consumer<? super T> onSuccess) {
            held.add(() -> now.run(what, work, onSuccess));
        }

        @Override
        public <T> void run(String what, Work<T> work, Consumer<? super T> onSuccess, Consumer<Exception> onFailure) {
            held.add(() -> now.run(what, work, onSuccess, onFailure));
        }

        @Override
        public <T> void runQuietly(String what, Work<T> work, Consumer<? super T> onSuccess, Consumer<Exception> onFailure) {
            held.add(() -> now.runQuietly(what, work, onSuccess, onFailure));
        }

        @Override
        public void info(String title, String text) {
            now.info(title, text);
        }

        @Override
        public void warn(String title, String text) {
            now.warn(title, text);
        }

        @Override
        public void error(String title, String text) {
            now.error(title, text);
        }
    }

    final HeldTasks tasks = new HeldTasks();
    final Listing<String> listing = new Listing<>(s -> s);
    final Pages<String> pages = new Pages<>(listing, 2);

    static Page<String> page(int offset, long total, String... items) {
        return new Page<>(List.of(items), offset, 2, total);
    }

    @Test
    void theLatestQueryWinsAndTheSameQueryIsNotSentTwice() {
        pages.first(tasks, tasks, "users", "a", (o, l) -> page(o, 1, "ann"));
        pages.first(tasks, tasks, "users", "a", (o, l) -> page(o, 1, "ann again"));
        assertThat(tasks.held).hasSize(1);
        pages.first(tasks, tasks, "users", "ab", (o, l) -> page(o, 1, "abe"));
        assertThat(listing.loadingProperty().get()).isTrue();
        tasks.held.get(1).run();
        tasks.held.get(0).run();
        assertThat(listing.items()).containsExactly("abe");
        assertThat(listing.loadingProperty().get()).isFalse();
    }

    @Test
    void moreAppendsAndANewQueryDropsAPendingPage() {
        pages.first(tasks, tasks, "users", "", (o, l) -> o == 0 ? page(0, 3, "a", "b") : page(2, 3, "c"));
        tasks.held.removeFirst().run();
        assertThat(pages.moreProperty().get()).isTrue();
        pages.more(tasks, tasks);
        pages.more(tasks, tasks);
        assertThat(tasks.held).hasSize(1);
        tasks.held.removeFirst().run();
        assertThat(listing.items()).containsExactly("a", "b", "c");
        assertThat(pages.summaryProperty().get()).isEqualTo("3");

        pages.first(tasks, tasks, "users", "x", (o, l) -> page(0, 0));
        tasks.held.removeFirst().run();
        assertThat(listing.items()).isEmpty();
        assertThat(pages.moreProperty().get()).isFalse();
    }
}
