package dev.drawbridge.console.apps;

import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Session;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.console.shell.ViewModelScreen;

/** The Applications screen. */
public final class AppsScreen extends ViewModelScreen<AppsViewModel> {
    public AppsScreen(Session session, Tasks tasks, Notices notices) {
        super("_Applications", new AppsViewModel(session, tasks, notices),
                vm -> new AppsView(vm, session.permissions()).root(), AppsViewModel::refresh);
    }
}
