package dev.drawbridge.console.policies;

import dev.drawbridge.console.labels.Labels;
import dev.drawbridge.console.session.FieldErrors;
import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.console.shell.Dialogs;
import dev.drawbridge.console.shell.FormDialog;
import dev.drawbridge.console.shell.Forms;
import dev.drawbridge.console.shell.Guard;
import dev.drawbridge.console.shell.Tables;
import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.AdminRole.Permission;
import dev.drawbridge.model.api.NamedLocation;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
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
import org.controlsfx.control.CheckComboBox;

import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Policies and named locations, each a table with New, Edit and Delete (editing in a dialog). */
public final class PoliciesView {
    private final TabPane root = new TabPane();
    private final PoliciesViewModel vm;

    public PoliciesView(PoliciesViewModel vm, Permissions perms) {
        this.vm = vm;
        root.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);

        TableView<AccessPolicy> policies = Tables.table(vm.policies(), "No conditional access policies: every assigned user gets in.");
        policies.setId("policies-table");
        policies.getColumns().add(Tables.column("Policy", 200, AccessPolicy::name));
        policies.getColumns().add(Tables.column("State", 90, p -> Labels.of(p.state())));
        policies.getColumns().add(Tables.column("Control", 100, p -> Labels.of(p.control())));
        policies.getColumns().add(Tables.column("Users", 150, PoliciesViewModel::who));
        policies.getColumns().add(Tables.column("Apps", 110, p -> vm.appNames(p.apps())));
        policies.getColumns().add(Tables.column("Locations", 230, vm::where));
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
                      BooleanBinding none) {
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
        PolicyForm f = new PolicyForm(p);
        FieldErrors err = f.errors();
        ComboBox<AccessPolicy.State> state = new ComboBox<>();
        state.setId("policy-state");
        state.getItems().setAll(AccessPolicy.State.values());
        state.setConverter(Labels.converter(AccessPolicy.State.class, Labels::of));
        state.valueProperty().bindBidirectional(f.stateProperty());
        ComboBox<AccessPolicy.Control> control = new ComboBox<>();
        control.setId("policy-control");
        control.getItems().setAll(AccessPolicy.Control.values());
        control.setConverter(Labels.converter(AccessPolicy.Control.class, Labels::of));
        control.valueProperty().bindBidirectional(f.controlProperty());
        TextField from = Forms.text("policy-start", f.startProperty(), "08:00"), to = Forms.text("policy-end", f.endProperty(), "18:00");
        TextField zone = Forms.text("policy-zone", f.zoneProperty(), "Europe/Zurich");
        from.setPrefColumnCount(5);
        to.setPrefColumnCount(5);
        zone.setPrefColumnCount(12);
        HBox hours = new HBox(8, from, new Label("to"), to, new Label("time zone"), zone);
        hours.setAlignment(Pos.CENTER_LEFT);
        // The hours row has one error line (the start field's); leaving the end or zone field touches it too.
        for (TextField t : new TextField[]{to, zone}) {
            t.focusedProperty().addListener((o, was, now) -> {
                if (was && !now) {
                    err.touch(PolicyForm.TIME);
                }
            });
        }

        GridPane g = Forms.grid();
        int row = 0;
        row = Forms.field(g, row, "_Name", Forms.text("policy-name", f.nameProperty(), "Require MFA outside the office"), err, PolicyForm.NAME);
        row = Forms.field(g, row, "_State", state);
        row = Forms.field(g, row, "_Control", control);
        row = Forms.field(g, row, "_Users and groups", Forms.text("policy-users", f.usersProperty(),
                PolicyForm.ALL_USERS + ", or UPNs and group names separated by commas"), err, PolicyForm.USERS);
        row = Forms.field(g, row, "E_xcept users", Forms.text("policy-exclude-users", f.excludeUsersProperty(), "e.g. break-glass@corp.example"),
                err, PolicyForm.EXCLUDE_USERS);
        row = Forms.field(g, row, "_Apps", checks("policy-apps", vm.appChoices(), f.apps(), vm::appName, "All apps"), err, PolicyForm.APPS);
        row = Forms.field(g, row, "_Locations", checks("policy-locations", vm.locationChoices(), f.locations(), vm::locationLabel,
                "Anywhere"), err, PolicyForm.LOCATIONS);
        row = Forms.field(g, row, "Except locatio_ns", checks("policy-exclude-locations", vm.locationChoices(), f.excludeLocations(),
                vm::locationLabel, "Nowhere"), err, PolicyForm.EXCLUDE_LOCATIONS);
        CheckBox browser = Forms.check("policy-browser", Labels.of(AccessPolicy.ClientType.BROWSER), f.browserProperty());
        CheckBox nat = Forms.check("policy-native", Labels.of(AccessPolicy.ClientType.NATIVE) + "s", f.nativeAppsProperty());
        g.add(new Label("Client types"), 0, row);
        g.add(new HBox(12, browser, nat, hint("none: any client")), 1, row++);
        row = Forms.field(g, row, "_Days", checks("policy-days", FXCollections.observableArrayList(DayOfWeek.values()), f.days(), Labels::of,
                "Every day"), err, PolicyForm.DAYS);
        row = Forms.field(g, row, "_Hours", from, hours, err, PolicyForm.TIME);
        g.add(hint("Empty hours: always. An end before the start spans midnight."), 1, row);
        FormDialog.show(root, p == null ? "New policy" : "Edit policy", "When a sign-in matches every condition, the control applies",
                g, f, close -> vm.save(f, close));
    }

    /** A drop-down of check boxes over {@code choices} that keeps {@code chosen} (in the choices' order); {@code none} when empty. */
    private static <T> CheckComboBox<T> checks(String id, ObservableList<T> choices, ObservableList<T> chosen, Function<T, String> words,
                                               String none) {
        List<T> items = new ArrayList<>(choices);
        chosen.stream().filter(c -> !items.contains(c)).forEach(items::add);
        CheckComboBox<T> c = new CheckComboBox<>(FXCollections.observableArrayList(items));
        c.setId(id);
        c.setConverter(Labels.converter(items, words));
        chosen.forEach(c.getCheckModel()::check);
        c.getCheckModel().getCheckedItems().addListener((ListChangeListener<T>) x ->
                chosen.setAll(items.stream().filter(c.getCheckModel()::isChecked).toList()));
        c.titleProperty().bind(Bindings.createStringBinding(() -> chosen.isEmpty() ? none : null, chosen));
        c.setMaxWidth(Double.MAX_VALUE);
        return c;
    }

    private static Label hint(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("hint");
        return l;
    }

    private void locationDialog(NamedLocation l) {
        LocationForm f = new LocationForm(l);
        TextArea cidrs = new TextArea();
        cidrs.setId("location-cidrs");
        cidrs.setPromptText("203.0.113.0/24\n2001:db8::/32");
        cidrs.setPrefRowCount(5);
        cidrs.textProperty().bindBidirectional(f.cidrsProperty());
        GridPane g = Forms.grid();
        int row = Forms.field(g, 0, "_Name", Forms.text("location-name", f.nameProperty(), "Head office"), f.errors(), LocationForm.NAME);
        g.add(Forms.check("location-trusted", "_Trusted location", f.trustedProperty()), 1, row++);
        Forms.field(g, row, "_IP ranges (one a line)", cidrs, f.errors(), LocationForm.CIDRS);
        FormDialog.show(root, l == null ? "New named location" : "Edit named location", "A set of IP ranges policies can refer to", g, f,
                close -> vm.save(f, close));
    }

    public Node root() {
        return root;
    }
}
