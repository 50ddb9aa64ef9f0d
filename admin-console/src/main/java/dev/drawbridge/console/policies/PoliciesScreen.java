package dev.drawbridge.console.policies;

import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Session;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.console.shell.Screen;
import javafx.scene.Node;

/** The Conditional access screen. */
public final class PoliciesScreen implements Screen {
    private final PoliciesViewModel vm;
    private final PoliciesView view;

    public PoliciesScreen(Session session, Tasks tasks, Notices notices) {
        vm = new PoliciesViewModel(session, tasks, notices);
        view = new PoliciesView(vm, session.permissions());
    }

    @Override
    public String label() {
        return "Conditional acce_ss";
    }

    @Override
    public Node view() {
        return view.root();
    }

    @Override
    public void refresh() {
        vm.refresh();
    }

    public PoliciesViewModel viewModel() {
        return vm;
    }
}
