package dev.drawbridge.console.apps.sso;

import dev.drawbridge.console.FakeAdminApi;
import dev.drawbridge.console.SyncTasks;
import dev.drawbridge.console.apps.AppsViewModel;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.ConnectorGroupView;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.UserView;

import java.time.Instant;
import java.util.List;

/**
 * What the single sign-on tests share: the console's fake admin API with a connector group, apps, users; the Applications
 * view model over it (work runs at once, notices are collected); selecting an app loads its single sign-on.
 */
abstract class SsoFixture {
    final FakeAdminApi api = new FakeAdminApi();
    final SyncTasks tasks = new SyncTasks();
    final AppsViewModel vm = new AppsViewModel(api.session(), tasks, tasks);
    final AppSso sso = vm.sso();

    static final UserView ALICE = new UserView("u-alice", "alice@contoso.com", "Alice Liddell", "alice@contoso.com", "Finance", true,
            true, false, null, List.of("Finance", "VPN users"), Instant.EPOCH, "alice@corp.contoso.com", "alice");
    static final UserView BOB = new UserView("u-bob", "bob@contoso.com", "Bob", null, null, true, true, false, null, List.of(),
            Instant.EPOCH);

    SsoFixture() {
        api.connectorGroups.put("g1", new ConnectorGroupView("g1", "Default", Instant.EPOCH, 1, 1));
        api.users.put(ALICE.id(), ALICE);
        api.users.put(BOB.id(), BOB);
    }

    /** A pre-authenticated app of group g1 ("Default") at {@code https://<id>.apps.example.com/}, keeping the external Host. */
    static AppView app(String id) {
        return app(id, "https://" + id + ".apps.example.com/", false);
    }

    static AppView app(String id, String externalUrl, boolean translateHost) {
        return new AppView(id, id.toUpperCase(), externalUrl, "http://" + id + ".corp.local/", "g1", "Default", BackendTimeout.DEFAULT,
                translateHost, PreAuthentication.DIRECTORY, AccessSettings.DEFAULTS, Instant.EPOCH, Instant.EPOCH);
    }

    /** Publishes {@code a} on the fake and selects it. */
    void select(AppView a) {
        api.apps.put(a.id(), a);
        vm.refresh();
        vm.apps().selectedProperty().set(vm.apps().items().stream().filter(x -> x.id().equals(a.id())).findFirst().orElseThrow());
    }

    /** The error a field of the section shows. */
    String error(String field) {
        return sso.errors().error(field).get();
    }
}
