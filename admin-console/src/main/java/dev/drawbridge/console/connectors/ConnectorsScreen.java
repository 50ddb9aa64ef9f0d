package dev.drawbridge.console.connectors;

import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Session;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.console.shell.Screen;
import javafx.scene.Node;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** The Connectors screen; refreshes every 3 seconds while visible. */
public final class ConnectorsScreen implements Screen {
    private final ConnectorsViewModel vm;
    private final ConnectorsView view;

    public ConnectorsScreen(Session session, Tasks tasks, Notices notices) {
        vm = new ConnectorsViewModel(session, tasks, notices, Clock.systemUTC());
        view = new ConnectorsView(vm, session.permissions());
    }

    @Override
    public String label() {
        return "_Connectors";
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
        return Optional.of(Duration.ofSeconds(3));
    }

    public ConnectorsViewModel viewModel() {
        return vm;
    }
}
