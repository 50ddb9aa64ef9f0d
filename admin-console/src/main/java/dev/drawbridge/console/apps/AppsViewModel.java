package dev.drawbridge.console.apps;

import dev.drawbridge.adminclient.AccessRequests;
import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.adminclient.Users;
import dev.drawbridge.console.apps.sso.AppSso;
import dev.drawbridge.console.labels.Labels;
import dev.drawbridge.console.session.Failures;
import dev.drawbridge.console.session.Listing;
import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Session;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.model.api.AccessRequestStatus;
import dev.drawbridge.model.api.AccessRequestView;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.AssignmentBody;
import dev.drawbridge.model.api.AssignmentView;
import dev.drawbridge.model.api.ConnectorGroupView;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.List;

/** Published apps: the list, the editor, the connection test, single sign-on, and who is assigned. */
public final class AppsViewModel {
    /** Someone an app can be assigned to. */
    public record Principal(String type, String id, String name) {
        @Override
        public String toString() {
            return Labels.principalType(type) + ": " + name;
        }
    }

    private final AdminApi api;
    private final Tasks tasks;
    private final Notices notices;
    private final Listing<AppView> apps = new Listing<>(AppView::id);
    private final Listing<AccessRequestView> requests = new Listing<>(AccessRequestView::id);
    private final Listing<AssignmentView> assignments = new Listing<>(a -> a.principalType() + "/" + a.principalId());
    private final ObservableList<String> connectorGroups = FXCollections.observableArrayList();
    private final ObservableList<Principal> principals = FXCollections.observableArrayList();
    private final AppEditor editor = new AppEditor();
    private final StringProperty testResult = new SimpleStringProperty("");
    private final BooleanProperty testOk = new SimpleBooleanProperty(false);
    private final BooleanProperty saving = new SimpleBooleanProperty(false);
    private final StringProperty principalSearch = new SimpleStringProperty("");
    private int principalGeneration;
    private final AppIcon icon;
    private final AppOwners owners;
    private final AppSso sso;
    private final AppPathRules pathRules;
    private final AppIdentityProviders identityProviders;

    public AppsViewModel(Session session, Tasks tasks, Notices notices) {
        this.api = session.api();
        this.tasks = tasks;
        this.notices = notices;
        this.icon = new AppIcon(api, tasks, notices);
        this.owners = new AppOwners(api, tasks, notices);
        this.pathRules = new AppPathRules(api, tasks, notices);
        this.identityProviders = new AppIdentityProviders(api, tasks, editor.identityProviders());
        this.sso = new AppSso(api, tasks, notices, session.permissions());
        apps.selectedProperty().addListener((o, was, now) -> {
            if (now != null && (was == null || !now.id().equals(was.id()))) {
                editor.load(now);
                testResult.set("");
                loadAssignments();
                icon.load(now.id());
                owners.load(now.id());
                pathRules.load(now.id());
                sso.load(now);
            } else if (now == null && was != null && !editor.isNew()) {
                editor.clear();
                icon.clear();
                owners.load(null);
                pathRules.load(null);
                sso.load(null);
                assignments.items().clear();
                requests.items().clear();
            }
        });
    }

    public Listing<AppView> apps() {
        return apps;
    }

    /** Pending access requests of the selected app. */
    public Listing<AccessRequestView> requests() {
        return requests;
    }

    public Listing<AssignmentView> assignments() {
        return assignments;
    }

    public ObservableList<String> connectorGroups() {
        return connectorGroups;
    }

    public ObservableList<Principal> principals() {
        return principals;
    }

    /** The selected app's icon. */
    public AppIcon icon() {
        return icon;
    }

    /** The selected app's path rules. */
    public AppPathRules pathRules() {
        return pathRules;
    }

    /** The identity providers the app in the editor offers, as a checklist of the configured ones. */
    public AppIdentityProviders identityProviders() {
        return identityProviders;
    }

    /** The selected app's owners. */
    public AppOwners owners() {
        return owners;
    }

    /** The selected app's single sign-on. */
    public AppSso sso() {
        return sso;
    }

    public AppEditor editor() {
        return editor;
    }

    public StringProperty testResultProperty() {
        return testResult;
    }

    public BooleanProperty testOkProperty() {
        return testOk;
    }

    public BooleanProperty savingProperty() {
        return saving;
    }

    public void refresh() {
        apps.load(tasks, notices, "published apps", () -> api.apps().list(Paging.LARGEST).items());
        tasks.runQuietly("load connector groups", () -> api.connectorGroups().list(Paging.LARGEST).items(),
                gs -> connectorGroups.setAll(gs.stream().map(ConnectorGroupView::name).toList()), e -> { });
        identityProviders.refresh();
        searchPrincipals();
    }

    /** What the admin typed to find a user or group to assign; the server searches. */
    public StringProperty principalSearchProperty() {
        return principalSearch;
    }

    /** Fills the assign list with the users and groups matching the search (the first 1000 of each). */
    public void searchPrincipals() {
        String q = principalSearch.get() == null ? "" : principalSearch.get().strip();
        Users.Search search = new Users.Search(q.isEmpty() ? null : q);
        int gen = ++principalGeneration;
        tasks.runQuietly("find users and groups", () -> {
            List<Principal> all = new ArrayList<>();
            api.users().list(Paging.LARGEST, search).items().forEach(u -> all.add(new Principal("USER", u.id(), u.upn())));
            api.groups().list(Paging.LARGEST, search).items().forEach(g -> all.add(new Principal("GROUP", g.id(), g.name())));
            return all;
        }, found -> {
            if (gen == principalGeneration) {
                principals.setAll(found);
            }
        }, e -> { });
    }

    public void newApp() {
        apps.selectedProperty().set(null);
        editor.clear();
        assignments.items().clear();
        requests.items().clear();
        icon.clear();
        owners.load(null);
        pathRules.load(null);
        sso.load(null);
        testResult.set("");
    }

    /** Creates or replaces the app in the editor. */
    public void save() {
        // A save shows every field's error; it goes on only when there are none.
        if (saving.get() || !editor.errors().attempt()) {
            return;
        }
        var spec = editor.spec();
        String id = editor.idProperty().get();
        saving.set(true);
        tasks.runQuietly(id == null ? "publish " + spec.name() : "save " + spec.name(),
                () -> id == null ? api.apps().create(spec) : api.apps().replace(id, spec),
                saved -> {
                    saving.set(false);
                    notices.info(id == null ? "App published" : "App saved", saved.name() + " → " + saved.externalUrl());
                    // A new app: selecting it loads the editor and its assignments; a saved one: only the editor.
                    boolean same = apps.selected() != null && apps.selected().id().equals(saved.id());
                    List<AppView> list = new ArrayList<>(apps.items());
                    list.removeIf(a -> a.id().equals(saved.id()));
                    list.add(saved);
                    apps.replace(list);
                    apps.selectedProperty().set(saved);
                    if (same) {
                        editor.load(saved);
                        sso.saved(saved);
                    }
                }, e -> {
                    saving.set(false);
                    notices.error("Could not save " + spec.name(), editor.errors().failed(e));
                });
    }

    public void delete() {
        AppView a = apps.selected();
        if (a == null) {
            return;
        }
        tasks.run("delete " + a.name(), () -> {
            api.apps().delete(a.id());
            return a;
        }, gone -> {
            notices.info("App deleted", gone.name());
            apps.items().remove(gone);
            newApp();
        });
    }

    /** Fetches the internal URL through a connector and shows status and latency. */
    public void test() {
        AppView a = apps.selected();
        if (a == null) {
            return;
        }
        testResult.set("Testing…");
        tasks.runQuietly("test " + a.name(), () -> api.apps().test(a.id()), r -> {
            boolean ok = r.error() == null && r.status() != null && r.status() > 0 && r.status() < 500;
            testOk.set(ok);
            testResult.set(r.error() != null ? "Failed: " + r.error() + (r.latencyMs() > 0 ? " (" + r.latencyMs() + " ms)" : "")
                    : "HTTP " + r.status() + " in " + r.latencyMs() + " ms" + (r.connectorId() == null ? "" : " via connector "
                    + r.connectorId().substring(0, Math.min(8, r.connectorId().length()))));
        }, e -> {
            testOk.set(false);
            if (Failures.notFound(e)) {
                testResult.set("This server cannot test apps yet.");
                notices.warn("Not available on this server", "POST /apps/{id}/test answered 404: this server does not offer the connection test yet.");
            } else {
                testResult.set("Failed: " + Failures.message(e));
            }
        });
    }

    void loadAssignments() {
        AppView a = apps.selected();
        if (a == null) {
            return;
        }
        assignments.load(tasks, notices, "assignments", () -> api.apps().assignments(a.id()));
        requests.load(tasks, notices, "access requests", () -> api.accessRequests().list(new AccessRequests.Filter(AccessRequestStatus.PENDING)).stream()
                .filter(r -> r.appId().equals(a.id())).toList());
    }

    /** Approves (the user is assigned) or denies the selected access request. */
    public void decide(boolean approve) {
        AccessRequestView r = requests.selected();
        if (r == null) {
            return;
        }
        tasks.run((approve ? "approve" : "deny") + " the request of " + r.upn(), () -> approve ? api.accessRequests().approve(r.id())
                : api.accessRequests().deny(r.id()), done -> {
            notices.info(approve ? "Access approved" : "Access denied", done.upn() + " → " + done.appName());
            requests.items().remove(r);
            loadAssignments();
        });
    }

    public void assign(Principal p) {
        AppView a = apps.selected();
        if (a == null || p == null) {
            return;
        }
        tasks.run("assign " + p.name() + " to " + a.name(), () -> {
            api.apps().assign(a.id(), new AssignmentBody(p.type(), p.id()));
            return api.apps().assignments(a.id());
        }, list -> {
            assignments.replace(list);
            notices.info("Assigned", p.name() + " may use " + a.name());
        });
    }

    public void unassign() {
        AppView a = apps.selected();
        AssignmentView s = assignments.selected();
        if (a == null || s == null) {
            return;
        }
        tasks.run("remove " + s.principalName() + " from " + a.name(), () -> {
            api.apps().unassign(a.id(), s.principalType(), s.principalId());
            return s;
        }, gone -> assignments.items().remove(gone));
    }
}
