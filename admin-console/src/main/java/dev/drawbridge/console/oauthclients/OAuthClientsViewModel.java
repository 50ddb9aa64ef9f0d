package dev.drawbridge.console.oauthclients;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.AdminApiException;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.console.session.Failures;
import dev.drawbridge.console.session.Listing;
import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.model.api.AdminRole.Permission;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.OAuthClientSpec;
import dev.drawbridge.model.api.OAuthClientView;
import dev.drawbridge.model.api.Problem;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registered native OAuth clients: the list, the editor, register, replace and delete. A save runs shared-model's rules
 * first and sends nothing while they fail; a change that ends refresh tokens (the refresh grant or an app taken away)
 * is the view's to confirm first ({@link OAuthClientEditor#signsUsersOut()}), as is a delete ({@link #deleteWarning}).
 */
public final class OAuthClientsViewModel {
    private final AdminApi api;
    private final Tasks tasks;
    private final Notices notices;
    private final Listing<OAuthClientView> clients = new Listing<>(OAuthClientView::clientId);
    private final OAuthClientEditor editor = new OAuthClientEditor();
    private final Map<String, String> appNames = new ConcurrentHashMap<>();
    private final ObservableList<String> appChoices = FXCollections.observableArrayList();
    private final BooleanProperty saving = new SimpleBooleanProperty(false);

    public OAuthClientsViewModel(AdminApi api, Tasks tasks, Notices notices) {
        this.api = api;
        this.tasks = tasks;
        this.notices = notices;
        clients.selectedProperty().addListener((o, was, now) -> {
            // A refresh keeps the selection (same id) and the unsaved edits.
            if (now != null && (was == null || !now.clientId().equals(was.clientId()))) {
                load(now);
            } else if (now == null && was != null && !editor.isNew()) {
                editor.clear();
            }
        });
    }

    /** Whether an admin with {@code p} sees native clients at all ({@code OAUTH_CLIENTS_READ}); changing them needs {@code OAUTH_CLIENTS_WRITE}. */
    public static boolean shown(Permissions p) {
        return p.has(Permission.OAUTH_CLIENTS_READ);
    }

    public Listing<OAuthClientView> clients() {
        return clients;
    }

    public OAuthClientEditor editor() {
        return editor;
    }

    /** The apps a client can be limited to, by id (sorted by name): {@link #appName} names them. */
    public ObservableList<String> appChoices() {
        return appChoices;
    }

    public BooleanProperty savingProperty() {
        return saving;
    }

    /** An app's name, or its id while unknown. */
    public String appName(String id) {
        return appNames.getOrDefault(id, id);
    }

    /** "Any app", or the apps' names. */
    public String appsText(OAuthClientView c) {
        return c.appIds().isEmpty() ? "Any app" : String.join(", ", c.appIds().stream().map(this::appName).toList());
    }

    public void refresh() {
        tasks.runQuietly("load app names", () -> api.apps().list(Paging.LARGEST).items(), apps -> {
            apps.forEach(a -> appNames.put(a.id(), a.name()));
            List<String> ids = new ArrayList<>(apps.stream().sorted(Comparator.comparing(AppView::name, String.CASE_INSENSITIVE_ORDER))
                    .map(AppView::id).toList());
            editor.appIds().stream().filter(id -> !ids.contains(id)).forEach(ids::add);
            appChoices.setAll(ids);
            // Redraw rows with names instead of ids.
            clients.replace(List.copyOf(clients.items()));
        }, e -> { });
        clients.load(tasks, notices, "native OAuth clients", () -> api.oauthClients().list());
    }

    private void load(OAuthClientView c) {
        c.appIds().stream().filter(id -> !appChoices.contains(id)).forEach(appChoices::add);
        editor.load(c);
    }

    /** Starts registering a new client. */
    public void newClient() {
        clients.selectedProperty().set(null);
        editor.clear();
    }

    /**
     * Registers or replaces the client in the editor, once the rules hold (a redirect URI still in the add field is taken
     * into the list first). Ask {@link OAuthClientEditor#signsUsersOut()} before calling this on an existing client.
     */
    public void save() {
        if (saving.get()) {
            return;
        }
        editor.takeTypedRedirectUri();
        if (!editor.errors().attempt()) {
            return;
        }
        OAuthClientSpec spec = editor.spec();
        boolean create = editor.isNew();
        String id = create ? null : editor.loadedProperty().get().clientId();
        saving.set(true);
        tasks.runQuietly((create ? "register " : "save ") + spec.displayName(),
                () -> create ? api.oauthClients().register(spec) : api.oauthClients().replace(id, spec),
                saved -> {
                    saving.set(false);
                    notices.info(create ? "Native client registered" : "Native client saved", saved.displayName() + " (client_id "
                            + saved.clientId() + ")");
                    List<OAuthClientView> list = new ArrayList<>(clients.items());
                    int at = -1;
                    for (int i = 0; i < list.size(); i++) {
                        if (list.get(i).clientId().equals(saved.clientId())) {
                            at = i;
                        }
                    }
                    if (at >= 0) {
                        list.set(at, saved);
                    } else {
                        list.add(saved);
                    }
                    clients.replace(list);
                    clients.selectedProperty().set(saved);
                    editor.load(saved);
                }, e -> {
                    saving.set(false);
                    notices.error("Could not save " + spec.displayName(), editor.errors().failed(conflictOnId(e, spec)));
                });
    }

    /** A 409 on register means the id is taken (in any letter case): said on the client ID field. */
    private static Exception conflictOnId(Exception e, OAuthClientSpec spec) {
        if (Failures.status(e) == 409 && spec.clientId() != null && Failures.problem(e).map(p -> p.errors().isEmpty()).orElse(true)) {
            return AdminApiException.of(new Problem(null, "Conflict", 409, null, List.of(
                    new Problem.FieldError(OAuthClientEditor.CLIENT_ID, "A client with the ID '" + spec.clientId()
                            + "' is registered already (IDs are unique in any letter case)."))));
        }
        return e;
    }

    /** The sentence a delete confirms: every user of the client is signed out. */
    public String deleteWarning(OAuthClientView c) {
        return "Every user of " + c.displayName() + " is signed out: its refresh tokens end now, and the app (client_id "
                + c.clientId() + ") can no longer sign anyone in.";
    }

    /** Deletes the selected client (its codes and refresh tokens end with it). */
    public void delete() {
        OAuthClientView c = clients.selected();
        if (c == null) {
            return;
        }
        tasks.run("delete " + c.displayName(), () -> {
            api.oauthClients().delete(c.clientId());
            return c;
        }, gone -> {
            notices.info("Native client deleted", gone.displayName() + " (client_id " + gone.clientId() + ")");
            clients.items().remove(gone);
            newClient();
        });
    }
}
