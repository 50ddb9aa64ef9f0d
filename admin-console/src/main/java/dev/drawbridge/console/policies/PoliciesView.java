package dev.drawbridge.console.policies;

import dev.drawbridge.console.labels.Labels;
import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.console.shell.Dialogs;
import dev.drawbridge.console.shell.Guard;
import dev.drawbridge.console.shell.Tables;
import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.AdminRole.Permission;
import dev.drawbridge.model.api.NamedLocation;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.util.ArrayList;
import java.util.List;

/** Policies and named locations, each a table with New, Edit and Delete (editing in a dialog). */
public final class PoliciesView {
    private final TabPane root = new TabPane();
    private final PoliciesViewModel vm;

    public PoliciesView(PoliciesViewModel vm, Permissions perms) {
        this.vm = vm;
        root.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);

        TableView<AccessPolicy> policies = Tables.table(vm.policies(), "No conditional access policies: every assigned user gets in.");
        policies.setId("policies-table");
        policies.getColumns().add(Tables.column("Policy", 220, AccessPolicy::name));
        policies.getColumns().add(Tables.column("State", 90, p -> Labels.of(p.state())));
        policies.getColumns().add(Tables.column("Control", 100, p -> Labels.of(p.control())));
        policies.getColumns().add(Tables.column("Users", 150, PoliciesViewModel::who));
        policies.getColumns().add(Tables.column("Apps", 110, p -> vm.appNames(p.apps())));
        policies.getColumns().add(Tables.column("Locations", 190, vm::where));
        policies.getColumns().add(Tables.column("Clients", 90, PoliciesViewModel::clients));
        Tab pt = new Tab("Policies", crud(policies, perms, "policy", () -> policyDialog(null),
                () -> policyDialog(vm.policies().selected()), () -> {
                    AccessPolicy p = vm.policies().selected();
                    if (Dialogs.confirm(root, "Delete policy " + p.name() + "?", "It stops applying at once.")) {
                        vm.delete(p);
                    }
                }, vm.policies().selectedProperty().isNull()));

        TableView<NamedLocation> locations = Tables.table(vm.locations(), "No named locations.");
        locations.setId("locations-table");
        locations.getColumns().add(Tables.column("Named location", 180, NamedLocation::name));
        locations.getColumns().add(Tables.column("Trusted", 70, l -> l.trusted() ? "yes" : "no"));
        locations.getColumns().add(Tables.column("IP ranges", 300, l -> String.join(", ", l.cidrs())));
        Tab lt = new Tab("Named locations", crud(locations, perms, "location", () -> locationDialog(null),
                () -> locationDialog(vm.locations().selected()), () -> {
                    NamedLocation l = vm.locations().selected();
                    if (Dialogs.confirm(root, "Delete named location " + l.name() + "?", "Policies that use it must not refer to it.")) {
                        vm.delete(l);
                    }
                }, vm.locations().selectedProperty().isNull()));
        root.getTabs().addAll(pt, lt);
    }

    private Node crud(TableView<?> table, Permissions perms, String id, Runnable create, Runnable edit, Runnable delete,
                      javafx.beans.binding.BooleanBinding none) {
        Button n = new Button("_New…");
        n.setId(id + "-new");
        n.setOnAction(e -> create.run());
        Button ed = new Button("_Edit…");
        ed.setId(id + "-edit");
        ed.setOnAction(e -> edit.run());
        Button del = new Button("_Delete");
        del.setId(id + "-delete");
        del.setOnAction(e -> delete.run());
        table.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2 && !ed.isDisabled()) {
                edit.run();
            }
        });
        VBox box = new VBox(8, new HBox(8, Guard.guard(n, perms, Permission.POLICIES_WRITE),
                Guard.guard(ed, perms, Permission.POLICIES_WRITE, none), Guard.guard(del, perms, Permission.POLICIES_WRITE, none)), table);
        VBox.setVgrow(table, Priority.ALWAYS);
        return box;
    }

    private void policyDialog(AccessPolicy p) {
        Dialog<AccessPolicy> d = new Dialog<>();
        d.initOwner(root.getScene().getWindow());
        d.setTitle(p == null ? "New policy" : "Edit policy");
        d.setHeaderText("When a sign-in matches every condition, the control applies");
        TextField name = new TextField(p == null ? "" : p.name());
        ComboBox<AccessPolicy.State> state = new ComboBox<>();
        state.getItems().setAll(AccessPolicy.State.values());
        state.setConverter(Labels.converter(AccessPolicy.State.class, Labels::of));
        state.setValue(p == null ? AccessPolicy.State.REPORT_ONLY : p.state());
        ComboBox<AccessPolicy.Control> control = new ComboBox<>();
        control.getItems().setAll(AccessPolicy.Control.values());
        control.setConverter(Labels.converter(AccessPolicy.Control.class, Labels::of));
        control.setValue(p == null ? AccessPolicy.Control.REQUIRE_MFA : p.control());
        TextField users = new TextField(p == null ? "ALL" : String.join(", ", p.users()));
        TextField exclude = new TextField(p == null ? "" : String.join(", ", p.excludeUsers()));
        TextField apps = new TextField(p == null ? "" : String.join(", ", p.apps()));
        apps.setPromptText("app ids; empty = all apps");
        TextField locs = new TextField(p == null ? "" : String.join(", ", p.locations()));
        locs.setPromptText("location ids, TRUSTED or UNTRUSTED; empty = anywhere");
        TextField exLocs = new TextField(p == null ? "" : String.join(", ", p.excludeLocations()));
        exLocs.setPromptText("e.g. TRUSTED");
        CheckBox browser = new CheckBox(Labels.of(AccessPolicy.ClientType.BROWSER)), nat = new CheckBox(Labels.of(AccessPolicy.ClientType.NATIVE) + "s");
        browser.setSelected(p != null && p.clientTypes().contains(AccessPolicy.ClientType.BROWSER));
        nat.setSelected(p != null && p.clientTypes().contains(AccessPolicy.ClientType.NATIVE));
        AccessPolicy.TimeWindow tw = p == null ? null : p.time();
        TextField days = new TextField(tw == null ? "" : String.join(", ", tw.days()));
        days.setPromptText("MONDAY, TUESDAY, …; empty = every day");
        TextField from = new TextField(tw == null ? "" : tw.start()), to = new TextField(tw == null ? "" : tw.end());
        from.setPromptText("08:00");
        to.setPromptText("18:00");
        from.setPrefColumnCount(5);
        to.setPrefColumnCount(5);
        TextField zone = new TextField(tw == null || tw.zone() == null ? "UTC" : tw.zone());
        zone.setPrefColumnCount(12);
        GridPane g = new GridPane(10, 8);
        g.addRow(0, new Label("Name"), name);
        g.addRow(1, new Label("State"), state);
        g.addRow(2, new Label("Control"), control);
        g.addRow(3, new Label("Users and groups"), users);
        g.addRow(4, new Label("Except users"), exclude);
        g.addRow(5, new Label("Apps"), apps);
        g.addRow(6, new Label("Locations"), locs);
        g.addRow(7, new Label("Except locations"), exLocs);
        g.addRow(8, new Label("Client types"), new HBox(12, browser, nat));
        g.addRow(9, new Label("Days"), days);
        g.addRow(10, new Label("Hours (empty = always)"), new HBox(8, from, new Label("to"), to, new Label("zone"), zone));
        name.setPrefColumnCount(30);
        d.getDialogPane().setContent(g);
        d.getDialogPane().getButtonTypes().setAll(ButtonType.OK, ButtonType.CANCEL);
        d.getDialogPane().lookupButton(ButtonType.OK).disableProperty().bind(name.textProperty().isEmpty());
        d.setResultConverter(b -> {
            if (b != ButtonType.OK) {
                return null;
            }
            List<AccessPolicy.ClientType> clients = new ArrayList<>();
            if (browser.isSelected()) {
                clients.add(AccessPolicy.ClientType.BROWSER);
            }
            if (nat.isSelected()) {
                clients.add(AccessPolicy.ClientType.NATIVE);
            }
            return new AccessPolicy(p == null ? null : p.id(), name.getText().strip(), state.getValue(),
                    PoliciesViewModel.list(apps.getText()), PoliciesViewModel.list(users.getText()),
                    PoliciesViewModel.list(exclude.getText()), PoliciesViewModel.list(locs.getText()),
                    PoliciesViewModel.list(exLocs.getText()), clients, PoliciesViewModel.window(days.getText(), from.getText(),
                    to.getText(), zone.getText()), control.getValue());
        });
        d.showAndWait().ifPresent(vm::save);
    }

    private void locationDialog(NamedLocation l) {
        Dialog<NamedLocation> d = new Dialog<>();
        d.initOwner(root.getScene().getWindow());
        d.setTitle(l == null ? "New named location" : "Edit named location");
        d.setHeaderText("A set of IP ranges policies can refer to");
        TextField name = new TextField(l == null ? "" : l.name());
        CheckBox trusted = new CheckBox("Trusted location");
        trusted.setSelected(l != null && l.trusted());
        TextArea cidrs = new TextArea(l == null ? "" : String.join("\n", l.cidrs()));
        cidrs.setPromptText("203.0.113.0/24\n2001:db8::/32");
        cidrs.setPrefRowCount(5);
        GridPane g = new GridPane(10, 8);
        g.addRow(0, new Label("Name"), name);
        g.addRow(1, new Label(""), trusted);
        g.addRow(2, new Label("IP ranges (one a line)"), cidrs);
        d.getDialogPane().setContent(g);
        d.getDialogPane().getButtonTypes().setAll(ButtonType.OK, ButtonType.CANCEL);
        d.getDialogPane().lookupButton(ButtonType.OK).disableProperty().bind(name.textProperty().isEmpty());
        d.setResultConverter(b -> b == ButtonType.OK ? new NamedLocation(l == null ? null : l.id(), name.getText().strip(),
                trusted.isSelected(), PoliciesViewModel.list(cidrs.getText())) : null);
        d.showAndWait().ifPresent(vm::save);
    }

    public Node root() {
        return root;
    }
}
