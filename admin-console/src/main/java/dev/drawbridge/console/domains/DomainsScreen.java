package dev.drawbridge.console.domains;

import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Session;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.console.shell.ViewModelScreen;

/** The Domains screen. */
public final class DomainsScreen extends ViewModelScreen<DomainsViewModel> {
    public DomainsScreen(Session session, Tasks tasks, Notices notices) {
        super("Do_mains", new DomainsViewModel(session, tasks, notices), vm -> new DomainsView(vm, session.permissions()).root(),
                DomainsViewModel::refresh);
    }
}
