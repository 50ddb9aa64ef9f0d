package dev.drawbridge.console.directory;

import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.console.shell.Dialogs;
import dev.drawbridge.console.shell.Forms;
import dev.drawbridge.console.shell.Guard;
import dev.drawbridge.model.api.AdminRole.Permission;
import dev.drawbridge.model.api.OidcProviderSettings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.util.StringConverter;

import static dev.drawbridge.console.directory.IdentityProviderViewModel.CLIENT_ID;
import static dev.drawbridge.console.directory.IdentityProviderViewModel.CLIENT_SECRET;
import static dev.drawbridge.console.directory.IdentityProviderViewModel.DISPLAY_NAME;
import static dev.drawbridge.console.directory.IdentityProviderViewModel.EMAIL_DOMAINS;
import static dev.drawbridge.console.directory.IdentityProviderViewModel.GROUPS_CLAIM;
import static dev.drawbridge.console.directory.IdentityProviderViewModel.ID;
import static dev.drawbridge.console.directory.IdentityProviderViewModel.ISSUER;
import static dev.drawbridge.console.directory.IdentityProviderViewModel.SCOPES;
import static dev.drawbridge.console.directory.IdentityProviderViewModel.USERNAME_CLAIM;

/**
 * The External sign-in tab: the OpenID Connect providers (a list to pick one from, New provider), the chosen one's
 * settings with its email domains for home-realm discovery, its redirect URI with Copy, Save and Remove.
 */
final class IdentityProviderView {
    private final ScrollPane root;

    IdentityProviderView(IdentityProviderViewModel vm, Permissions perms) {
        var err = vm.errors();
        GridPane form = Forms.grid();
        int row = 0;
        ComboBox<OidcProviderSettings> chooser = new ComboBox<>(vm.providers());
        chooser.setId("idp-providers");
        chooser.setPromptText("No provider yet");
        chooser.setConverter(new StringConverter<>() {
            @Override
            public String toString(OidcProviderSettings p) {
                return p == null ? "" : p.displayName() + " (" + p.id() + ")";
            }

            @Override
            public OidcProviderSettings fromString(String s) {
                return null;
            }
        });
        boolean[] syncing = {false};
        chooser.setOnAction(e -> {
            if (chooser.getValue() != null && !syncing[0]) {
                vm.select(chooser.getValue().id());
            }
        });
        // The chooser shows the provider in the form.
        Runnable sync = () -> {
            syncing[0] = true;
            try {
                chooser.setValue(vm.providers().stream().filter(p -> p.id().equals(vm.providerIdProperty().get())).findFirst().orElse(null));
            } finally {
                syncing[0] = false;
            }
        };
        vm.providers().addListener((ListChangeListener<OidcProviderSettings>) c -> sync.run());
        vm.providerIdProperty().addListener((o, was, now) -> sync.run());
        Button add = new Button("_New provider");
        add.setId("idp-new");
        add.setOnAction(e -> {
            chooser.getSelectionModel().clearSelection();
            vm.newProvider();
        });
        HBox pick = new HBox(8, chooser, Guard.guard(add, perms, Permission.DIRECTORY_WRITE, vm.busyProperty()));
        pick.setAlignment(Pos.CENTER_LEFT);
        int pickRow = row++;
        TextField id = Forms.text("idp-id", vm.providerIdProperty(), "partner (lower-case letters, digits, hyphens)");
        // Fixed once saved; readable (not disabled) so it can be copied.
        id.editableProperty().bind(vm.configuredProperty().not());
        row = Forms.field(form, row, "I_D", id, err, ID);
        row = Forms.field(form, row, "_Issuer", Forms.text("idp-issuer", vm.issuerProperty(), "https://idp.corp.example/realms/corp"),
                err, ISSUER);
        row = Forms.field(form, row, "_Client ID", Forms.text("idp-client-id", vm.clientIdProperty(), "drawbridge"), err, CLIENT_ID);
        row = Forms.field(form, row, "Client s_ecret", Forms.secret("idp-client-secret", vm.clientSecretProperty(),
                vm.secretStoredProperty(), "the client's secret"), err, CLIENT_SECRET);
        row = Forms.field(form, row, "_Display name", Forms.text("idp-display-name", vm.displayNameProperty(), "Contoso ID"),
                err, DISPLAY_NAME);
        row = Forms.field(form, row, "Sc_opes", Forms.text("idp-scopes", vm.scopesProperty(), "openid profile email"), err, SCOPES);
        row = Forms.field(form, row, "User _name claim", Forms.text("idp-username-claim", vm.usernameClaimProperty(),
                "email or preferred_username"), err, USERNAME_CLAIM);
        row = Forms.field(form, row, "_Groups claim", Forms.text("idp-groups-claim", vm.groupsClaimProperty(),
                "groups (empty: groups are not synced)"), err, GROUPS_CLAIM);
        row = Forms.field(form, row, "E_mail domains", Forms.text("idp-email-domains", vm.emailDomainsProperty(),
                "corp.example (users typing such an address go straight here)"), err, EMAIL_DOMAINS);
        form.add(new Label("New users"), 0, row);
        form.add(Forms.check("idp-jit", "Create users on their first sign-in (just-in-time provisioning)",
                vm.jitProvisioningProperty()), 1, row++);
        form.add(new Label("Existing users"), 0, row);
        form.add(Forms.check("idp-link-by-email", "Link a first sign-in to the existing user with the same email, if the provider verified it",
                vm.linkByVerifiedEmailProperty()), 1, row++);
        SettingsPage.readOnlyUnlessWritable(form, perms);
        // Added after: a reader may still pick the provider to look at.
        form.add(new Label("Provider"), 0, pickRow);
        form.add(pick, 1, pickRow);

        TextField redirect = new TextField();
        redirect.setId("idp-redirect-uri");
        redirect.setEditable(false);
        redirect.getStyleClass().add("read-only");
        redirect.textProperty().bind(vm.redirectUriProperty());
        redirect.setPromptText("shown once the provider is saved");
        HBox.setHgrow(redirect, Priority.ALWAYS);
        Button copy = new Button("Copy");
        copy.setId("idp-redirect-copy");
        copy.disableProperty().bind(vm.redirectUriProperty().isEmpty());
        copy.setOnAction(e -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(vm.redirectUriProperty().get());
            Clipboard.getSystemClipboard().setContent(c);
        });
        HBox redirectRow = new HBox(8, redirect, copy);
        redirectRow.setAlignment(Pos.CENTER_LEFT);
        Label redirectLabel = new Label("Redirect URI");
        form.add(redirectLabel, 0, row);
        form.add(redirectRow, 1, row++);
        Label redirectHint = new Label("Register this URL at the provider as the client's redirect (callback) URI.");
        redirectHint.getStyleClass().add("hint");
        form.add(redirectHint, 1, row);

        Button save = new Button("_Save provider");
        save.setId("idp-save");
        save.setOnAction(e -> {
            vm.save();
            Forms.focusFirstError(form);
        });
        Button remove = new Button("_Remove provider");
        remove.setId("idp-remove");
        remove.setOnAction(e -> {
            if (Dialogs.confirm(remove, "Remove " + vm.displayNameProperty().get() + "?",
                    "Users can no longer sign in with this provider; users it created stay.")) {
                vm.remove();
            }
        });
        HBox actions = new HBox(8, Guard.guard(save, perms, Permission.DIRECTORY_WRITE, vm.busyProperty()),
                Guard.guard(remove, perms, Permission.DIRECTORY_WRITE, vm.configuredProperty().not().or(vm.busyProperty())),
                SettingsPage.reload("idp-reload", vm.dirtyProperty(), vm::refresh));
        actions.setAlignment(Pos.CENTER_LEFT);
        root = SettingsPage.page("External identity providers (OpenID Connect)", "idp-state", vm.stateProperty(), form, actions);
    }

    Node root() {
        return root;
    }
}
