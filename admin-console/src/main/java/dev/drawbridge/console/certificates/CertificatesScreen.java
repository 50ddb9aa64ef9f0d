package dev.drawbridge.console.certificates;

import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Session;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.console.shell.Screen;
import javafx.scene.Node;

import java.time.Clock;

/** The Certificates screen. */
public final class CertificatesScreen implements Screen {
    private final CertificatesViewModel vm;
    private final CertificatesView view;

    public CertificatesScreen(Session session, Tasks tasks, Notices notices) {
        vm = new CertificatesViewModel(session, tasks, notices, Clock.systemUTC());
        view = new CertificatesView(vm, session.permissions());
    }

    @Override
    public String label() {
        return "Cer_tificates";
    }

    @Override
    public Node view() {
        return view.root();
    }

    @Override
    public void refresh() {
        vm.refresh();
    }

    public CertificatesViewModel viewModel() {
        return vm;
    }
}
