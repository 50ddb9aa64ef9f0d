package dev.drawbridge.console.directory;

import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.console.shell.Forms;
import dev.drawbridge.console.shell.Guard;
import dev.drawbridge.model.api.AdminRole.Permission;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;

import static dev.drawbridge.console.directory.DirectorySyncViewModel.BIND_DN;
import static dev.drawbridge.console.directory.DirectorySyncViewModel.BIND_PASSWORD;
import static dev.drawbridge.console.directory.DirectorySyncViewModel.INTERVAL;
import static dev.drawbridge.console.directory.DirectorySyncViewModel.URL;
import static dev.drawbridge.console.directory.DirectorySyncViewModel.USER_BASE;

/** The Directory sync tab: LDAP / Active Directory settings, Save, Sync now and its result. */
final class DirectorySyncView {
    private final ScrollPane root;

    DirectorySyncView(DirectorySyncViewModel vm, Permissions perms) {
        var err = vm.errors();
        GridPane form = Forms.grid();
        int row = 0;
        row = Forms.field(form, row, "_URL", Forms.text("sync-url", vm.urlProperty(), "ldaps://dc1.corp.example:636"), err, URL);
        row = Forms.field(form, row, "Through connector gr_oup", Forms.text("sync-connector-group", vm.connectorGroupProperty(),
                "e.g. Default; empty: the server connects directly"),
                err, DirectorySyncViewModel.CONNECTOR_GROUP);
        row = Forms.field(form, row, "_Bind DN", Forms.text("sync-bind-dn", vm.bindDnProperty(), "cn=drawbridge,ou=service,dc=corp,dc=example"),
                err, BIND_DN);
        row = Forms.field(form, row, "Bind _password", Forms.secret("sync-bind-password", vm.bindPasswordProperty(),
                vm.passwordStoredProperty(), "password of the bind DN"), err, BIND_PASSWORD);
        row = Forms.field(form, row, "User bas_e", Forms.text("sync-user-base", vm.userBaseProperty(), "ou=people,dc=corp,dc=example"),
                err, USER_BASE);
        row = Forms.field(form, row, "User _filter", Forms.text("sync-user-filter", vm.userFilterProperty(),
                "(objectClass=person)  AD: (&(objectClass=user)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))"));
        row = Forms.field(form, row, "Sign-_in name attribute", Forms.text("sync-upn-attribute", vm.upnAttributeProperty(),
                "userPrincipalName (AD), mail or uid"));
        row = Forms.field(form, row, "Display name attribute", Forms.text("sync-display-name-attribute",
                vm.displayNameAttributeProperty(), "displayName"));
        row = Forms.field(form, row, "E-mail attribute", Forms.text("sync-mail-attribute", vm.mailAttributeProperty(), "mail"));
        row = Forms.field(form, row, "Department attribute", Forms.text("sync-department-attribute",
                vm.departmentAttributeProperty(), "department"));
        row = Forms.field(form, row, "On-premises UPN attribute", Forms.text("sync-onprem-upn-attribute",
                vm.onPremUpnAttributeProperty(), "userPrincipalName (AD), krbCanonicalName; empty: not synced"), err,
                DirectorySyncViewModel.ON_PREM_UPN_ATTRIBUTE);
        row = Forms.field(form, row, "SAM account name attribute", Forms.text("sync-sam-account-name-attribute",
                vm.samAccountNameAttributeProperty(), "sAMAccountName (AD), uid; empty: not synced"), err,
                DirectorySyncViewModel.SAM_ACCOUNT_NAME_ATTRIBUTE);
        row = Forms.field(form, row, "_Group base", Forms.text("sync-group-base", vm.groupBaseProperty(), "ou=groups,dc=corp,dc=example"));
        row = Forms.field(form, row, "Group filter", Forms.text("sync-group-filter", vm.groupFilterProperty(),
                "(objectClass=groupOfNames)  AD: (objectClass=group)"));
        row = Forms.field(form, row, "Member attribute", Forms.text("sync-member-attribute", vm.memberAttributeProperty(), "member"));
        TextField interval = Forms.text("sync-interval", vm.intervalProperty(), "0");
        interval.setPrefColumnCount(6);
        row = Forms.field(form, row, "In_terval (minutes, 0 = on demand)", interval, err, INTERVAL);
        form.add(new Label("Passwords"), 0, row);
        form.add(Forms.check("sync-verify-passwords", "Check sign-in of synced users by an LDAP bind as the user",
                vm.verifyPasswordsProperty()), 1, row);
        SettingsPage.readOnlyUnlessWritable(form, perms);

        Button save = new Button("_Save settings");
        save.setId("sync-save");
        save.setOnAction(e -> {
            vm.save();
            Forms.focusFirstError(form);
        });
        Button run = new Button("Sync _now");
        run.setId("sync-run");
        run.setOnAction(e -> vm.syncNow());
        Label result = new Label();
        result.setId("sync-result");
        result.setWrapText(true);
        result.textProperty().bind(vm.resultProperty());
        vm.resultOkProperty().addListener((o, was, ok) -> result.getStyleClass().setAll("label", ok ? "ok" : "error"));
        HBox actions = new HBox(8, Guard.guard(save, perms, Permission.DIRECTORY_WRITE, vm.busyProperty()),
                Guard.guard(run, perms, Permission.DIRECTORY_WRITE, vm.busyProperty().or(vm.configuredProperty().not())
                        .or(vm.dirtyProperty())), SettingsPage.reload("sync-reload", vm.dirtyProperty(), vm::refresh));
        actions.setAlignment(Pos.CENTER_LEFT);
        Label hint = new Label("Users and groups are read from the directory; synced users sign in with their directory password. "
                + "Empty fields take the server's defaults, but for the on-premises UPN and SAM account name (what single sign-on may "
                + "name users by at apps), which are then not synced: name attributes users cannot change themselves. Save before Sync now.");
        hint.setWrapText(true);
        hint.getStyleClass().add("hint");
        root = SettingsPage.page("LDAP / Active Directory sync", "sync-state", vm.stateProperty(), hint, form, actions, result);
    }

    Node root() {
        return root;
    }
}
