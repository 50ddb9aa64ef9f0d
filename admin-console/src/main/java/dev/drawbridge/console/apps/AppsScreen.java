package dev.drawbridge.console.apps;

import dev.drawbridge.console.oauthclients.OAuthClientsView;
import dev.drawbridge.console.oauthclients.OAuthClientsViewModel;
import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Session;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.console.shell.ViewModelScreen;
import javafx.scene.Node;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;

import java.util.Optional;

/**
 * The Applications screen: published apps, and, for admins who may read them ({@code OAUTH_CLIENTS_READ}), a second tab
 * with the registered native OAuth clients.
 */
public final class AppsScreen extends ViewModelScreen<AppsViewModel> {
    private final Optional<OAuthClientsViewModel> clients;

    public AppsScreen(Session session, Tasks tasks, Notices notices) {
        this(session, new AppsViewModel(session, tasks, notices), OAuthClientsViewModel.shown(session.permissions())
                ? Optional.of(new OAuthClientsViewModel(session.api(), tasks, notices)) : Optional.empty());
    }

    private AppsScreen(Session session, AppsViewModel vm, Optional<OAuthClientsViewModel> clients) {
        super("_Applications", vm, v -> view(session, v, clients), AppsViewModel::refresh);
        this.clients = clients;
    }

    private static Node view(Session session, AppsViewModel vm, Optional<OAuthClientsViewModel> clients) {
        Node apps = new AppsView(vm, session.permissions()).root();
        if (clients.isEmpty()) {
            return apps;
        }
        Tab published = new Tab("Published apps", apps);
        published.setId("apps-tab");
        Tab nativeClients = new Tab("Native clients", new OAuthClientsView(clients.get(), session.permissions()).root());
        nativeClients.setId("oauth-clients-tab");
        TabPane tabs = new TabPane(published, nativeClients);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        return tabs;
    }

    @Override
    public void refresh() {
        super.refresh();
        clients.ifPresent(OAuthClientsViewModel::refresh);
    }

    /** The native clients tab's view model; empty without {@code OAUTH_CLIENTS_READ}. */
    public Optional<OAuthClientsViewModel> oauthClients() {
        return clients;
    }
}
