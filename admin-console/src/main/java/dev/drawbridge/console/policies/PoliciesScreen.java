package dev.drawbridge.console.policies;

import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Session;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.console.shell.ViewModelScreen;

/** The Conditional access screen. */
public final class PoliciesScreen extends ViewModelScreen<PoliciesViewModel> {
    public PoliciesScreen(Session session, Tasks tasks, Notices notices) {
        super("Conditional acce_ss", new PoliciesViewModel(session, tasks, notices),
                vm -> new PoliciesView(vm, session.permissions()).root(), PoliciesViewModel::refresh);
    }
}
