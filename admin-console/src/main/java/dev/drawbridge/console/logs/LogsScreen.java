package dev.drawbridge.console.logs;

import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Session;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.console.shell.ViewModelScreen;

import java.time.Duration;

/** The Logs screen; the visible log reloads every 3 seconds while it follows. */
public final class LogsScreen extends ViewModelScreen<LogsViewModel> {
    public LogsScreen(Session session, Tasks tasks, Notices notices) {
        super("_Logs", new LogsViewModel(session, tasks, notices),
                vm -> new LogsView(vm).root(), LogsViewModel::poll, Duration.ofSeconds(3));
    }
}
