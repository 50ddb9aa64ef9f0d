package dev.drawbridge.console.directory;

import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Session;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.console.shell.ViewModelScreen;

/** The Users & groups screen, with its Directory sync and External sign-in forms. */
public final class DirectoryScreen extends ViewModelScreen<DirectoryViewModel> {
    private final DirectorySyncViewModel sync;
    private final IdentityProviderViewModel idp;

    public DirectoryScreen(Session session, Tasks tasks, Notices notices) {
        this(session, new DirectoryViewModel(session, tasks, notices), tasks, notices);
    }

    private DirectoryScreen(Session session, DirectoryViewModel vm, Tasks tasks, Notices notices) {
        this(session, vm, new DirectorySyncViewModel(session.api(), tasks, notices, vm::searchUsers),
                new IdentityProviderViewModel(session.api(), tasks, notices));
    }

    private DirectoryScreen(Session session, DirectoryViewModel vm, DirectorySyncViewModel sync, IdentityProviderViewModel idp) {
        super("_Users & groups", vm, v -> new DirectoryView(v, sync, idp, session.permissions()).root(), DirectoryViewModel::refresh);
        this.sync = sync;
        this.idp = idp;
    }

    @Override
    public void refresh() {
        super.refresh();
        // The forms reload only without unsaved changes.
        sync.refresh();
        idp.refresh();
    }

    public DirectorySyncViewModel directorySync() {
        return sync;
    }

    public IdentityProviderViewModel identityProvider() {
        return idp;
    }
}
