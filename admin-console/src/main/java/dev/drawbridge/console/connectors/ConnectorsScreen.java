package dev.drawbridge.console.connectors;

import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Session;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.console.shell.ViewModelScreen;

import java.time.Clock;
import java.time.Duration;

/** The Connectors screen; refreshes every 3 seconds while visible. */
public final class ConnectorsScreen extends ViewModelScreen<ConnectorsViewModel> {
    public ConnectorsScreen(Session session, Tasks tasks, Notices notices) {
        super("_Connectors", new ConnectorsViewModel(session, tasks, notices, Clock.systemUTC()),
                vm -> new ConnectorsView(vm, session.permissions()).root(), ConnectorsViewModel::refresh, Duration.ofSeconds(3));
    }
}
