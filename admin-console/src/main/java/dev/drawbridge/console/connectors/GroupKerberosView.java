package dev.drawbridge.console.connectors;

import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.console.shell.Dialogs;
import dev.drawbridge.console.shell.Forms;
import dev.drawbridge.console.shell.Guard;
import dev.drawbridge.console.shell.Tables;
import dev.drawbridge.model.api.AdminRole.Permission;
import dev.drawbridge.model.api.KerberosGroupView;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

import java.io.File;
import java.util.function.Function;

/**
 * The Kerberos tab of the Connectors screen: the selected group's settings as the server has them (realm, KDCs,
 * principal, the principals the keytab holds, when set; never the keytab) and the form that sets them, the keytab chosen
 * with a file chooser and shown by name and size only; Remove asks first. Changing needs {@code CONNECTORS_WRITE}. Ids:
 * {@code kerberos-state}, {@code kerberos-stored-*}, {@code kerberos-realm}, {@code kerberos-kdcs}, {@code kerberos-kdc-new},
 * {@code kerberos-kdc-add}, {@code kerberos-kdc-remove}, {@code kerberos-kdc-up}, {@code kerberos-principal},
 * {@code kerberos-keytab-choose}, {@code kerberos-keytab-file}, {@code kerberos-save}, {@code kerberos-remove},
 * {@code kerberos-discard}, {@code kerberos-other-error}; each input's error {@code <id>-error}.
 */
final class GroupKerberosView {
    private GroupKerberosView() {
    }

    static Node of(GroupKerberos k, Permissions perms) {
        boolean write = perms.has(Permission.CONNECTORS_WRITE);
        Label title = new Label("Kerberos constrained delegation");
        title.getStyleClass().add("section");
        Label state = new Label();
        state.setId("kerberos-state");
        state.setWrapText(true);
        state.textProperty().bind(k.stateProperty());
        Label about = hint("Apps of this group with Kerberos single sign-on: the connectors sign in to the KDC with this principal's"
                + " keytab and get tickets for the app's users (S4U2Self, S4U2Proxy). The keytab goes to the group's connectors only"
                + " and is never shown again; the server keeps the principals it holds keys for.");

        GridPane storedGrid = Forms.grid();
        int row = 0;
        row = stored(storedGrid, row, "Realm", "kerberos-stored-realm", k, KerberosGroupView::realm);
        row = stored(storedGrid, row, "KDCs", "kerberos-stored-kdcs", k, v -> String.join(", ", v.kdcs()));
        row = stored(storedGrid, row, "Principal", "kerberos-stored-principal", k, KerberosGroupView::servicePrincipal);
        row = stored(storedGrid, row, "Keytab holds", "kerberos-stored-keytab", k, v -> String.join(", ", v.keytabPrincipals()));
        stored(storedGrid, row, "Updated", "kerberos-stored-updated", k, v -> Tables.time(v.updatedAt()));
        storedGrid.visibleProperty().bind(k.storedProperty().isNotNull());
        storedGrid.managedProperty().bind(storedGrid.visibleProperty());

        Label setTitle = new Label("Set the Kerberos settings");
        setTitle.getStyleClass().add("section");
        GridPane form = Forms.grid();
        row = 0;
        TextField realm = Forms.text("kerberos-realm", k.realmProperty(), "CORP.EXAMPLE");
        row = Forms.field(form, row, "Realm", realm, k.errors(), GroupKerberos.REALM);

        ListView<String> kdcs = new ListView<>(k.kdcs());
        kdcs.setId("kerberos-kdcs");
        kdcs.setPrefHeight(90);
        Button remove = small(new Button("Remove"), "kerberos-kdc-remove");
        remove.setOnAction(e -> k.removeKdc(kdcs.getSelectionModel().getSelectedItem()));
        Button up = small(new Button("Up"), "kerberos-kdc-up");
        up.setOnAction(e -> {
            String kdc = kdcs.getSelectionModel().getSelectedItem();
            k.moveKdcUp(kdc);
            kdcs.getSelectionModel().select(kdc);
        });
        var noneSelected = kdcs.getSelectionModel().selectedItemProperty().isNull();
        HBox listRow = new HBox(8, kdcs, new VBox(6, Guard.guard(up, perms, Permission.CONNECTORS_WRITE, noneSelected),
                Guard.guard(remove, perms, Permission.CONNECTORS_WRITE, noneSelected)));
        HBox.setHgrow(kdcs, Priority.ALWAYS);
        row = Forms.field(form, row, "KDCs", kdcs, listRow, k.errors(), GroupKerberos.KDCS);
        TextField typed = Forms.text("kerberos-kdc-new", k.newKdcProperty(), "dc1.corp.example or 10.0.0.5:88");
        Button add = small(new Button("Add"), "kerberos-kdc-add");
        add.setOnAction(e -> k.addKdc());
        typed.setOnAction(e -> k.addKdc());
        HBox addRow = new HBox(8, typed, Guard.guard(add, perms, Permission.CONNECTORS_WRITE));
        HBox.setHgrow(typed, Priority.ALWAYS);
        row = Forms.field(form, row, "Add KDC", typed, addRow, k.errors(), GroupKerberos.NEW_KDC);
        form.add(hint("Host or host:port (TCP 88 by default), asked in this order; no DNS lookup of KDCs."), 1, row++);

        TextField principal = Forms.text("kerberos-principal", k.principalProperty(), "HTTP/connector.corp.example");
        row = Forms.field(form, row, "Principal", principal, k.errors(), GroupKerberos.PRINCIPAL);
        form.add(hint("The connectors' own account, trusted for delegation to the apps' SPNs; @REALM is added when missing."), 1, row++);

        Button choose = small(new Button("Choose keytab…"), "kerberos-keytab-choose");
        choose.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setTitle("Keytab of the connectors' principal");
            fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Keytab", "*.keytab", "*.kt"),
                    new FileChooser.ExtensionFilter("Any file", "*"));
            File f = fc.showOpenDialog(choose.getScene().getWindow());
            if (f != null) {
                k.chooseKeytab(f.toPath());
            }
        });
        Label file = new Label();
        file.setId("kerberos-keytab-file");
        file.textProperty().bind(Bindings.when(k.keytabFileProperty().isEmpty()).then("No file chosen")
                .otherwise(k.keytabFileProperty()));
        HBox keytabRow = new HBox(8, Guard.guard(choose, perms, Permission.CONNECTORS_WRITE), file);
        keytabRow.setAlignment(Pos.CENTER_LEFT);
        Forms.field(form, row, "Keytab", choose, keytabRow, k.errors(), GroupKerberos.KEYTAB);
        if (!write) {
            for (Control c : new Control[]{realm, kdcs, typed, principal}) {
                c.setDisable(true);
            }
        }

        Label other = new Label();
        other.setId("kerberos-other-error");
        other.getStyleClass().add("field-error");
        other.setWrapText(true);
        other.textProperty().bind(k.errors().other());
        other.visibleProperty().bind(k.errors().other().isNotEmpty());
        other.managedProperty().bind(other.visibleProperty());

        Button save = new Button("Save Kerberos settings");
        save.setId("kerberos-save");
        save.setOnAction(e -> {
            k.save();
            Forms.focusFirstError(form);
        });
        Button removeAll = new Button("Remove…");
        removeAll.setId("kerberos-remove");
        removeAll.setOnAction(e -> {
            KerberosGroupView v = k.storedProperty().get();
            if (v != null && Dialogs.confirm(removeAll, "Remove the Kerberos settings?", "The group's connectors delete their keytab"
                    + " (of " + v.servicePrincipal() + "), and its apps with Kerberos single sign-on stop working until settings are"
                    + " set again.")) {
                k.remove();
            }
        });
        Button discard = new Button("Discard changes");
        discard.setId("kerberos-discard");
        discard.setOnAction(e -> k.discard());
        discard.disableProperty().bind(k.dirtyProperty().not());
        HBox buttons = new HBox(8, Guard.guard(save, perms, Permission.CONNECTORS_WRITE, k.busyProperty()),
                Guard.guard(removeAll, perms, Permission.CONNECTORS_WRITE, k.busyProperty().or(k.storedProperty().isNull())), discard);

        VBox editor = new VBox(8, setTitle, form, other, buttons);
        editor.visibleProperty().bind(k.selectedProperty());
        editor.managedProperty().bind(editor.visibleProperty());
        VBox box = new VBox(10, title, state, storedGrid, about, editor);
        box.setPadding(new Insets(8));
        box.setMaxWidth(820);
        ScrollPane root = new ScrollPane(box);
        root.setId("kerberos-section");
        root.setFitToWidth(true);
        return root;
    }

    /** A read-only row of what the server has. */
    private static int stored(GridPane g, int row, String label, String id, GroupKerberos k, Function<KerberosGroupView, String> value) {
        Label l = new Label();
        l.setId(id);
        l.setWrapText(true);
        l.textProperty().bind(k.storedProperty().map(value).orElse(""));
        return Forms.field(g, row, label, l);
    }

    private static Button small(Button b, String id) {
        b.setId(id);
        b.setMinWidth(Region.USE_PREF_SIZE);
        return b;
    }

    private static Label hint(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("hint");
        l.setWrapText(true);
        return l;
    }
}
