package dev.drawbridge.console.oauthclients;

import dev.drawbridge.console.labels.Labels;
import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.console.shell.Dialogs;
import dev.drawbridge.console.shell.Forms;
import dev.drawbridge.console.shell.Guard;
import dev.drawbridge.console.shell.Tables;
import dev.drawbridge.model.api.AdminRole.Permission;
import dev.drawbridge.model.api.OAuthClientView;
import dev.drawbridge.model.api.OAuthGrant;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.controlsfx.control.CheckComboBox;

/** Native clients: the table on the left; on the right the editor, checked as the admin types. */
public final class OAuthClientsView {
    private final SplitPane root = new SplitPane();
    private boolean syncing;

    public OAuthClientsView(OAuthClientsViewModel vm, Permissions perms) {
        TableView<OAuthClientView> table = Tables.table(vm.clients(), "No native clients registered: press New client to register one.");
        table.setId("oauth-clients-table");
        table.getColumns().add(Tables.column("Display name", 110, OAuthClientView::displayName));
        table.getColumns().add(Tables.column("Client ID", 110, OAuthClientView::clientId));
        table.getColumns().add(Tables.column("Redirect URIs", 150, c -> String.join("\n", c.redirectUris())));
        table.getColumns().add(Tables.column("Grants", 150, c -> Labels.grants(c.grants())));
        table.getColumns().add(Tables.column("Apps", 90, vm::appsText));
        table.getColumns().add(Tables.column("Created", 130, c -> Tables.time(c.createdAt())));

        Button add = new Button("_New client");
        add.setId("oauth-client-new");
        add.setOnAction(e -> vm.newClient());
        Button delete = new Button("_Delete");
        delete.setId("oauth-client-delete");
        delete.setOnAction(e -> {
            OAuthClientView c = vm.clients().selected();
            if (c != null && Dialogs.confirm(root, "Delete " + c.displayName() + "?", vm.deleteWarning(c))) {
                vm.delete();
            }
        });
        Button refresh = new Button("Refresh");
        refresh.setOnAction(e -> vm.refresh());
        HBox bar = new HBox(8, Guard.guard(add, perms, Permission.OAUTH_CLIENTS_WRITE),
                Guard.guard(delete, perms, Permission.OAUTH_CLIENTS_WRITE, vm.clients().selectedProperty().isNull()), refresh);
        VBox left = new VBox(8, bar, table);
        VBox.setVgrow(table, Priority.ALWAYS);

        OAuthClientEditor ed = vm.editor();
        boolean write = perms.has(Permission.OAUTH_CLIENTS_WRITE);
        GridPane form = Forms.grid();
        int row = 0;
        TextField id = Forms.text("oauth-client-id", ed.clientIdProperty(), "com.example.cli");
        id.disableProperty().bind(ed.loadedProperty().isNotNull().or(Bindings.createBooleanBinding(() -> !write)));
        row = Forms.field(form, row, "Client _ID", id, ed.errors(), OAuthClientEditor.CLIENT_ID);
        form.add(hint("The client_id your app sends; leave empty to generate. It never changes once registered."), 1, row++);
        TextField name = Forms.text("oauth-client-name", ed.displayNameProperty(), "Command line");
        row = Forms.field(form, row, "Display na_me", name, ed.errors(), OAuthClientEditor.DISPLAY_NAME);

        ListView<String> uris = new ListView<>(ed.redirectUris());
        uris.setId("oauth-client-redirect-uris");
        uris.setPrefHeight(110);
        Button remove = new Button("_Remove");
        remove.setId("oauth-client-redirect-remove");
        remove.setMinWidth(Region.USE_PREF_SIZE);
        remove.setOnAction(e -> ed.removeRedirectUri(uris.getSelectionModel().getSelectedItem()));
        HBox listRow = new HBox(8, uris, Guard.guard(remove, perms, Permission.OAUTH_CLIENTS_WRITE,
                uris.getSelectionModel().selectedItemProperty().isNull()));
        HBox.setHgrow(uris, Priority.ALWAYS);
        row = Forms.field(form, row, "Redirect _URIs", uris, listRow, ed.errors(), OAuthClientEditor.REDIRECT_URIS);
        TextField typed = Forms.text("oauth-client-redirect-new", ed.newRedirectUriProperty(), "http://127.0.0.1/callback");
        Button addUri = new Button("_Add");
        addUri.setId("oauth-client-redirect-add");
        addUri.setMinWidth(Region.USE_PREF_SIZE);
        addUri.setOnAction(e -> ed.addRedirectUri());
        typed.setOnAction(e -> ed.addRedirectUri());
        HBox addRow = new HBox(8, typed, Guard.guard(addUri, perms, Permission.OAUTH_CLIENTS_WRITE));
        HBox.setHgrow(typed, Priority.ALWAYS);
        row = Forms.field(form, row, "Add redirect URI", typed, addRow, ed.errors(), OAuthClientEditor.NEW_REDIRECT_URI);
        form.add(hint("Loopback (http://127.0.0.1/…, http://[::1]/…, http://localhost/…) or a private-use scheme"
                + " (com.example.app:/…). The port is ignored for 127.0.0.1, [::1] and localhost."), 1, row++);

        CheckBox code = new CheckBox(Labels.of(OAuthGrant.AUTHORIZATION_CODE));
        code.setId("oauth-client-grant-code");
        code.setSelected(true);
        code.setDisable(true);
        code.setTooltip(new Tooltip("Every native client signs users in with an authorization code and PKCE."));
        CheckBox refreshTokens = Forms.check("oauth-client-grant-refresh", Labels.of(OAuthGrant.REFRESH_TOKEN), ed.refreshTokensProperty());
        VBox grants = new VBox(4, code, refreshTokens);
        row = Forms.field(form, row, "Grants", refreshTokens, grants, ed.errors(), OAuthClientEditor.GRANTS);

        CheckBox any = Forms.check("oauth-client-any-app", "Any app", ed.anyAppProperty());
        CheckComboBox<String> apps = apps(vm, ed);
        apps.disableProperty().bind(ed.anyAppProperty().or(Bindings.createBooleanBinding(() -> !write)));
        HBox appsRow = new HBox(12, any, apps);
        appsRow.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(apps, Priority.ALWAYS);
        row = Forms.field(form, row, "A_pps", apps, appsRow, ed.errors(), OAuthClientEditor.APPS);
        form.add(hint("Which published apps it may get tokens for; assignment and conditional access still apply per user."), 1, row++);
        if (!write) {
            // A reader sees the client; the save button says which role would let them change it.
            for (Control c : new Control[]{name, typed, uris, refreshTokens, any}) {
                c.setDisable(true);
            }
        }

        Label other = new Label();
        other.setId("oauth-client-other-error");
        other.getStyleClass().add("field-error");
        other.setWrapText(true);
        other.textProperty().bind(ed.errors().other());
        other.visibleProperty().bind(ed.errors().other().isNotEmpty());
        other.managedProperty().bind(other.visibleProperty());
        Button save = new Button("_Save");
        save.setId("oauth-client-save");
        save.setDefaultButton(true);
        save.textProperty().bind(ed.loadedProperty().map(c -> "_Save").orElse("Re_gister"));
        save.setOnAction(e -> {
            if (!ed.isNew() && ed.errors().valid().get()) {
                var warning = ed.signsUsersOut();
                if (warning.isPresent() && !Dialogs.confirm(root, "Sign out users of " + ed.loadedProperty().get().displayName() + "?",
                        warning.get())) {
                    return;
                }
            }
            vm.save();
            Forms.focusFirstError(form);
        });
        HBox actions = new HBox(8, Guard.guard(save, perms, Permission.OAUTH_CLIENTS_WRITE, vm.savingProperty()));

        Label heading = new Label();
        heading.getStyleClass().add("section");
        heading.textProperty().bind(ed.loadedProperty().map(c -> "Edit native client").orElse("New native client"));
        VBox editor = new VBox(10, heading, form, other, actions);
        editor.setPadding(new Insets(0, 0, 0, 10));
        ScrollPane scroll = new ScrollPane(editor);
        scroll.setId("oauth-client-editor-scroll");
        scroll.setFitToWidth(true);
        root.getItems().addAll(left, scroll);
        root.setDividerPositions(0.5);
    }

    /** The apps to pick, by name; checks follow the editor's list both ways (a load, the admin's clicks). */
    private CheckComboBox<String> apps(OAuthClientsViewModel vm, OAuthClientEditor ed) {
        CheckComboBox<String> c = new CheckComboBox<>(vm.appChoices());
        c.setId("oauth-client-apps");
        c.setConverter(new StringConverter<>() {
            @Override
            public String toString(String id) {
                return id == null ? "" : vm.appName(id);
            }

            @Override
            public String fromString(String s) {
                return s;
            }
        });
        c.setMaxWidth(Double.MAX_VALUE);
        c.titleProperty().bind(Bindings.createStringBinding(() -> ed.anyAppProperty().get() ? "" : ed.appIds().isEmpty() ? "No app picked" : null,
                ed.appIds(), ed.anyAppProperty()));
        Runnable toChecks = () -> {
            syncing = true;
            try {
                c.getCheckModel().clearChecks();
                ed.appIds().forEach(c.getCheckModel()::check);
            } finally {
                syncing = false;
            }
        };
        ed.appIds().addListener((ListChangeListener<String>) x -> {
            if (!syncing) {
                toChecks.run();
            }
        });
        vm.appChoices().addListener((ListChangeListener<String>) x -> toChecks.run());
        c.getCheckModel().getCheckedItems().addListener((ListChangeListener<String>) x -> {
            if (!syncing) {
                syncing = true;
                try {
                    ed.appIds().setAll(vm.appChoices().stream().filter(c.getCheckModel()::isChecked).toList());
                } finally {
                    syncing = false;
                }
            }
        });
        toChecks.run();
        return c;
    }

    private static Label hint(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("hint");
        l.setWrapText(true);
        return l;
    }

    public Node root() {
        return root;
    }
}
