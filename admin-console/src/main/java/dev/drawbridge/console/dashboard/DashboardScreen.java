package dev.drawbridge.console.dashboard;

import dev.drawbridge.console.session.Session;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.console.shell.Screen;
import javafx.scene.Node;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** The Dashboard screen; refreshes every 10 seconds while visible. */
public final class DashboardScreen implements Screen {
    private final DashboardViewModel vm;
    private final DashboardView view;

    public DashboardScreen(Session session, Tasks tasks) {
        vm = new DashboardViewModel(session, tasks, Clock.systemUTC());
        view = new DashboardView(vm);
    }

    @Override
    public String label() {
        return "_Dashboard";
    }

    @Override
    public Node view() {
        return view.root();
    }

    @Override
    public void refresh() {
        vm.refresh();
    }

    @Override
    public Optional<Duration> refreshEvery() {
        return Optional.of(Duration.ofSeconds(10));
    }

    public DashboardViewModel viewModel() {
        return vm;
    }
}
