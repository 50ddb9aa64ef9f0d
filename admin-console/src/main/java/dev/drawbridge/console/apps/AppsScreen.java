package dev.drawbridge.console.apps;

import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Session;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.console.shell.Screen;
import javafx.scene.Node;

/** The Applications screen. */
public final class AppsScreen implements Screen {
    private final AppsViewModel vm;
    private final AppsView view;

    public AppsScreen(Session session, Tasks tasks, Notices notices) {
        vm = new AppsViewModel(session, tasks, notices);
        view = new AppsView(vm, session.permissions());
    }

    @Override
    public String label() {
        return "_Applications";
    }

    @Override
    public Node view() {
        return view.root();
    }

    @Override
    public void refresh() {
        vm.refresh();
    }

    public AppsViewModel viewModel() {
        return vm;
    }
}
