package dev.drawbridge.console.connectors;

import dev.drawbridge.console.labels.Labels;
import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.console.shell.Dialogs;
import dev.drawbridge.console.shell.FormDialog;
import dev.drawbridge.console.shell.Forms;
import dev.drawbridge.console.shell.Guard;
import dev.drawbridge.console.shell.Tables;
import dev.drawbridge.model.api.AdminRole.Permission;
import dev.drawbridge.model.api.ConnectorGroupView;
import dev.drawbridge.model.api.ConnectorStatus;
import dev.drawbridge.model.api.ConnectorView;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;

import java.util.List;
import java.util.Locale;

/**
 * Groups on the left with their health; on the right four tabs: the connectors of the selected group with status lights,
 * update state and last update error; the group's update rollout ({@link GroupRolloutView}); its Kerberos settings
 * ({@link GroupKerberosView}); and the uploaded connector update bundles ({@link UpdateBundlesView}).
 */
public final class ConnectorsView {
    private final SplitPane root = new SplitPane();

    public ConnectorsView(ConnectorsViewModel vm, Permissions perms) {
        TableView<ConnectorGroupView> groups = Tables.table(vm.groups(), "No connector groups.");
        groups.setId("groups-table");
        groups.getColumns().add(Tables.column("Connector group", 150, ConnectorGroupView::name));
        groups.getColumns().add(Tables.column("Active", 70, g -> g.activeConnectors() + " / " + g.connectors()));
        groups.getColumns().add(Tables.column("Maintenance", 120, g -> g.maintenance() == null ? ""
                : "since " + Tables.time(g.maintenance().since())));
        Button newGroup = new Button("New _group");
        newGroup.setId("group-new");
        newGroup.setOnAction(e -> {
            ConnectorGroupForm f = new ConnectorGroupForm();
            GridPane g = Forms.grid();
            Forms.field(g, 0, "_Name", Forms.text("new-connector-group-name", f.nameProperty(), "Branch office"), f.errors(),
                    ConnectorGroupForm.NAME);
            FormDialog.show(root, "New connector group", "Connectors of a group serve the apps published through it", g, f,
                    close -> vm.createGroup(f, close));
        });
        Button deleteGroup = new Button("Delete group");
        deleteGroup.setId("group-delete");
        deleteGroup.setOnAction(e -> {
            ConnectorGroupView g = vm.groups().selected();
            if (g != null && Dialogs.confirm(root, "Delete connector group " + g.name() + "?",
                    "Only a group without connectors and apps can be deleted.")) {
                vm.deleteGroup();
            }
        });
        Button token = new Button("_Registration token…");
        token.setId("registration-token");
        // The command asks for the token (--token -): shown apart, it stays off the connector machine's command lines.
        token.setOnAction(e -> vm.registrationToken(60, t -> Dialogs.showCopyableFields(root, "Install a connector",
                "Run the command on a machine inside your network and paste the token when it asks (valid until "
                        + Tables.time(t.expiresAt()) + ", once):",
                List.of(new Dialogs.CopyableField("install-command", "Command", t.installCommand()),
                        new Dialogs.CopyableField("install-token", "Token", t.token())))));
        Button maintenance = new Button("_Maintenance…");
        maintenance.setId("group-maintenance-start");
        maintenance.setOnAction(e -> {
            ConnectorGroupView g = vm.groups().selected();
            if (g == null) {
                return;
            }
            MaintenanceForm f = new MaintenanceForm();
            f.messageProperty().set(g.maintenance() == null || g.maintenance().message() == null ? "" : g.maintenance().message());
            GridPane grid = Forms.grid();
            Forms.field(grid, 0, "_Message", Forms.text("group-maintenance-message", f.messageProperty(), "Back at 10:00"), f.errors(),
                    MaintenanceForm.MESSAGE);
            FormDialog.show(root, "Maintenance of " + g.name(), "No new request goes to the group's connectors (requests in flight"
                    + " finish); its apps answer a maintenance page with this message.", grid, f, close -> vm.startMaintenance(f, close));
        });
        Button endMaintenance = new Button("End maintenance");
        endMaintenance.setId("group-maintenance-end");
        endMaintenance.setOnAction(e -> vm.endMaintenance());
        Button all = new Button("Show all");
        all.setOnAction(e -> vm.groups().selectedProperty().set(null));
        VBox left = new VBox(8, new HBox(8, Guard.guard(newGroup, perms, Permission.CONNECTORS_WRITE),
                Guard.guard(deleteGroup, perms, Permission.CONNECTORS_WRITE, vm.groups().selectedProperty().isNull())),
                groups, new HBox(8, Guard.guard(token, perms, Permission.CONNECTORS_WRITE), all),
                new HBox(8, Guard.guard(maintenance, perms, Permission.CONNECTORS_WRITE, vm.groups().selectedProperty().isNull()),
                        Guard.guard(endMaintenance, perms, Permission.CONNECTORS_WRITE, vm.groups().selectedProperty().isNull())));
        VBox.setVgrow(groups, Priority.ALWAYS);

        TableView<ConnectorView> table = new TableView<>(vm.shown());
        table.setId("connectors-table");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No connectors: create a registration token and run the install command inside your network."));
        table.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
            if (!vm.connectors().isReplacing()) {
                vm.connectors().selectedProperty().set(now);
            }
        });
        vm.connectors().items().addListener((ListChangeListener<ConnectorView>) c -> {
            ConnectorView sel = vm.connectors().selected();
            if (sel != null) {
                table.getSelectionModel().select(sel);
            }
        });
        TableColumn<ConnectorView, Object> status = Tables.column("Status", 100, ConnectorView::status);
        status.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(Object item, boolean empty) {
                super.updateItem(item, empty);
                if (empty || item == null) {
                    setText(null);
                    setGraphic(null);
                    return;
                }
                ConnectorStatus s = (ConnectorStatus) item;
                Circle light = new Circle(6);
                light.getStyleClass().add("light-" + s.name().toLowerCase(Locale.ROOT));
                setGraphic(light);
                ConnectorView c = getTableRow() == null ? null : getTableRow().getItem();
                setText(c != null && s != ConnectorStatus.REVOKED && vm.certificateExpired(c) ? ConnectorsViewModel.EXPIRED : Labels.of(s));
            }
        });
        table.getColumns().add(status);
        table.getColumns().add(Tables.column("Host name", 150, ConnectorView::hostName));
        table.getColumns().add(Tables.column("Group", 100, ConnectorView::groupName));
        table.getColumns().add(Tables.column("Version", 70, ConnectorView::version));
        table.getColumns().add(Tables.column("Tunnels", 60, ConnectorView::tunnels));
        table.getColumns().add(Tables.column("Last seen", 100, c -> c.status() == ConnectorStatus.ACTIVE ? "now"
                : Tables.ago(c.lastSeenAt(), vm.clock().instant())));
        table.getColumns().add(Tables.column("Certificate until", 140, c -> Tables.time(c.certificateNotAfter())));
        table.getColumns().add(Tables.column("Update state", 110, c -> c.updateState() == null ? "" : Labels.of(c.updateState())));
        table.getColumns().add(Tables.column("Last error", 220, c -> vm.lastError(c, Tables.time(c.certificateNotAfter()))));

        Button move = new Button("_Move…");
        move.setId("connector-move");
        move.setOnAction(e -> {
            ConnectorView c = vm.connectors().selected();
            if (c != null) {
                Dialogs.choose(root, "Move connector", "Move " + c.hostName() + " to which group?", c.groupName(), vm.groupNames())
                        .filter(g -> !g.equals(c.groupName())).ifPresent(g -> vm.move(c, g));
            }
        });
        Button revoke = new Button("Re_voke");
        revoke.setId("connector-revoke");
        revoke.setOnAction(e -> {
            ConnectorView c = vm.connectors().selected();
            if (c != null && Dialogs.confirm(root, "Revoke " + c.hostName() + "?",
                    "Its certificate stops working at once and its tunnels close. It has to register again to come back.")) {
                vm.revoke(c);
            }
        });
        var noneSelected = vm.connectors().selectedProperty().isNull();
        VBox list = new VBox(8, new HBox(8, Guard.guard(move, perms, Permission.CONNECTORS_WRITE, noneSelected),
                Guard.guard(revoke, perms, Permission.CONNECTORS_WRITE, noneSelected)), table);
        list.setPadding(new Insets(8, 0, 0, 0));
        VBox.setVgrow(table, Priority.ALWAYS);
        Tab connectorsTab = new Tab("Connectors", list);
        connectorsTab.setId("connectors-tab");
        Tab kerberosTab = new Tab("Kerberos", GroupKerberosView.of(vm.kerberos(), perms));
        kerberosTab.setId("kerberos-tab");
        kerberosTab.textProperty().bind(vm.groups().selectedProperty().map(g -> "Kerberos of " + g.name()).orElse("Kerberos"));
        Tab rolloutTab = new Tab("Rollout", GroupRolloutView.of(vm.rollout(), vm.updates(), perms));
        rolloutTab.setId("rollout-tab");
        rolloutTab.textProperty().bind(vm.groups().selectedProperty().map(g -> "Rollout of " + g.name()).orElse("Rollout"));
        Tab updatesTab = new Tab("Updates", UpdateBundlesView.of(vm.updates(), perms));
        updatesTab.setId("updates-tab");
        TabPane right = new TabPane(connectorsTab, rolloutTab, kerberosTab, updatesTab);
        right.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        root.getItems().addAll(left, right);
        root.setDividerPositions(0.3);
    }

    public Node root() {
        return root;
    }
}
