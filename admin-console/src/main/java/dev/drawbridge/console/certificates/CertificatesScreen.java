package dev.drawbridge.console.certificates;

import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Session;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.console.shell.ViewModelScreen;

import java.time.Clock;

/** The Certificates screen. */
public final class CertificatesScreen extends ViewModelScreen<CertificatesViewModel> {
    public CertificatesScreen(Session session, Tasks tasks, Notices notices) {
        super("Cer_tificates", new CertificatesViewModel(session, tasks, notices, Clock.systemUTC()),
                vm -> new CertificatesView(vm, session.permissions()).root(), CertificatesViewModel::refresh);
    }
}
