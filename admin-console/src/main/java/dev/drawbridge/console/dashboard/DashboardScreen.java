package dev.drawbridge.console.dashboard;

import dev.drawbridge.console.session.Session;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.console.shell.ViewModelScreen;

import java.time.Clock;
import java.time.Duration;

/** The Dashboard screen; refreshes every 10 seconds while visible. */
public final class DashboardScreen extends ViewModelScreen<DashboardViewModel> {
    public DashboardScreen(Session session, Tasks tasks) {
        super("_Dashboard", new DashboardViewModel(session, tasks, Clock.systemUTC()),
                vm -> new DashboardView(vm).root(), DashboardViewModel::refresh, Duration.ofSeconds(10));
    }
}
