package dev.drawbridge.console.directory;

import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Session;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.console.shell.Screen;
import javafx.scene.Node;

/** The Users & groups screen. */
public final class DirectoryScreen implements Screen {
    private final DirectoryViewModel vm;
    private final DirectorySyncViewModel sync;
    private final IdentityProviderViewModel idp;
    private final DirectoryView view;

    public DirectoryScreen(Session session, Tasks tasks, Notices notices) {
        vm = new DirectoryViewModel(session, tasks, notices);
        sync = new DirectorySyncViewModel(session.api(), tasks, notices, vm::searchUsers);
        idp = new IdentityProviderViewModel(session.api(), tasks, notices);
        view = new DirectoryView(vm, sync, idp, session.permissions());
    }

    @Override
    public String label() {
        return "_Users & groups";
    }

    @Override
    public Node view() {
        return view.root();
    }

    @Override
    public void refresh() {
        vm.refresh();
        // The forms reload only without unsaved changes.
        sync.refresh();
        idp.refresh();
    }

    public DirectoryViewModel viewModel() {
        return vm;
    }

    public DirectorySyncViewModel directorySync() {
        return sync;
    }

    public IdentityProviderViewModel identityProvider() {
        return idp;
    }
}
