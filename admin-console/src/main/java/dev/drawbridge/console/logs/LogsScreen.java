package dev.drawbridge.console.logs;

import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Session;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.console.shell.Screen;
import javafx.scene.Node;

import java.time.Duration;
import java.util.Optional;

/** The Logs screen; the visible log reloads every 3 seconds while it follows. */
public final class LogsScreen implements Screen {
    private final LogsViewModel vm;
    private final LogsView view;

    public LogsScreen(Session session, Tasks tasks, Notices notices) {
        vm = new LogsViewModel(session, tasks, notices);
        view = new LogsView(vm);
    }

    @Override
    public String label() {
        return "_Logs";
    }

    @Override
    public Node view() {
        return view.root();
    }

    @Override
    public void refresh() {
        vm.poll();
    }

    @Override
    public Optional<Duration> refreshEvery() {
        return Optional.of(Duration.ofSeconds(3));
    }

    public LogsViewModel viewModel() {
        return vm;
    }
}
