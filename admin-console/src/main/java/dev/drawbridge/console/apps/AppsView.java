package dev.drawbridge.console.apps;

import dev.drawbridge.console.apps.sso.AppSsoView;
import dev.drawbridge.console.labels.Labels;
import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.console.shell.Dialogs;
import dev.drawbridge.console.shell.Forms;
import dev.drawbridge.console.shell.Guard;
import dev.drawbridge.console.shell.Tables;
import dev.drawbridge.model.api.AccessRequestView;
import dev.drawbridge.model.api.AdminRole.Permission;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.AssignmentView;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.UserView;
import javafx.animation.PauseTransition;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.util.Duration;
import org.controlsfx.control.CheckComboBox;

import java.io.File;

/**
 * Apps: table on the left; on the right the editor with live validation, the connection test, single sign-on
 * ({@link AppSsoView}) and assignments.
 */
public final class AppsView {
    private final SplitPane root = new SplitPane();

    public AppsView(AppsViewModel vm, Permissions perms) {
        TableView<AppView> table = Tables.table(vm.apps(), "No apps published yet: press New to publish one.");
        table.setId("apps-table");
        // Half a window holds four columns whole; the internal URL is in the editor beside the table.
        table.getColumns().add(Tables.column("Name", 100, AppView::name));
        table.getColumns().add(Tables.column("External URL", 160, AppView::externalUrl));
        table.getColumns().add(Tables.column("Pre-authentication", 160, a -> Labels.of(a.preAuthentication())));
        table.getColumns().add(Tables.column("Connector group", 128, AppView::connectorGroupName));
        // The short columns keep their headers and words whole; the external URL takes what room is left.
        table.getColumns().get(2).setMinWidth(160);
        table.getColumns().get(3).setMinWidth(128);

        Button add = new Button("_New app");
        add.setId("app-new");
        add.setOnAction(e -> vm.newApp());
        Button delete = new Button("_Delete");
        delete.setId("app-delete");
        delete.setOnAction(e -> {
            AppView a = vm.apps().selected();
            if (a != null && Dialogs.confirm(root, "Delete " + a.name() + "?", "Users can no longer reach " + a.externalUrl())) {
                vm.delete();
            }
        });
        Button refresh = new Button("Refresh");
        refresh.setOnAction(e -> vm.refresh());
        HBox bar = new HBox(8, Guard.guard(add, perms, Permission.PROXY_SETTINGS_WRITE),
                Guard.guard(delete, perms, Permission.PROXY_SETTINGS_WRITE, vm.apps().selectedProperty().isNull()), refresh);
        VBox left = new VBox(8, bar, table);
        VBox.setVgrow(table, Priority.ALWAYS);

        AppEditor ed = vm.editor();
        GridPane form = Forms.grid();
        int row = 0;
        row = Forms.field(form, row, "Na_me", Forms.text("app-name", ed.nameProperty(), "HR portal"), ed.errors(), AppEditor.NAME);
        row = Forms.field(form, row, "E_xternal URL", Forms.text("app-external-url", ed.externalUrlProperty(), "https://hr.apps.example.com/"),
                ed.errors(), AppEditor.EXTERNAL);
        row = Forms.field(form, row, "_Internal URL", Forms.text("app-internal-url", ed.internalUrlProperty(), "http://hr.corp.local:8080/"),
                ed.errors(), AppEditor.INTERNAL);
        ComboBox<String> group = new ComboBox<>(vm.connectorGroups());
        group.setId("app-connector-group");
        group.valueProperty().bindBidirectional(ed.connectorGroupProperty());
        row = Forms.field(form, row, "Connector gr_oup", group, ed.errors(), AppEditor.GROUP);
        ComboBox<PreAuthentication> preauth = new ComboBox<>();
        preauth.getItems().setAll(PreAuthentication.values());
        preauth.setConverter(Labels.converter(PreAuthentication.class, Labels::of));
        preauth.setId("app-preauth");
        preauth.valueProperty().bindBidirectional(ed.preAuthenticationProperty());
        row = Forms.field(form, row, "Pre-a_uthentication", preauth);
        ComboBox<BackendTimeout> timeout = new ComboBox<>();
        timeout.getItems().setAll(BackendTimeout.values());
        timeout.setConverter(Labels.converter(BackendTimeout.class, Labels::of));
        timeout.setId("app-timeout");
        timeout.valueProperty().bindBidirectional(ed.backendTimeoutProperty());
        // The app's own limits share the timeout's row, their errors below them in the same cell: the form keeps its height
        // (the access requests below stay on screen).
        TextField seconds = Forms.text("app-timeout-seconds", ed.timeoutSecondsProperty(), "s");
        seconds.setPrefColumnCount(3);
        seconds.setTooltip(new Tooltip("The app's own timeout in seconds, beyond 85 or 180 up to the server's maximum; blank for the choice"));
        TextField rate = Forms.text("app-throttle-rate", ed.throttleRateProperty(), "req/s");
        rate.setPrefColumnCount(4);
        rate.setTooltip(new Tooltip("The app's own rate limit in requests a second; blank for the server's"));
        TextField burst = Forms.text("app-throttle-burst", ed.throttleBurstProperty(), "burst");
        burst.setPrefColumnCount(4);
        burst.setTooltip(new Tooltip("How many requests may come at once; blank with a rate: twice the rate"));
        HBox limits = new HBox(6, timeout, new Label("or"), seconds, new Label("s · throttle"), rate, new Label("/s, burst"), burst);
        limits.setAlignment(Pos.CENTER_LEFT);
        VBox limitsCell = new VBox(2, limits, AppLimitsRows.error(seconds, ed.errors(), AppEditor.TIMEOUT_SECONDS),
                AppLimitsRows.error(rate, ed.errors(), AppEditor.RATE), AppLimitsRows.error(burst, ed.errors(), AppEditor.BURST));
        Label timeoutLabel = new Label("_Backend timeout");
        timeoutLabel.setMnemonicParsing(true);
        timeoutLabel.setLabelFor(timeout);
        form.add(timeoutLabel, 0, row);
        form.add(limitsCell, 1, row++);
        Label timeoutHint = new Label("How long the proxy waits for the app's first byte");
        timeoutHint.getStyleClass().add("hint");
        form.add(timeoutHint, 1, row++);
        CheckBox translate = Forms.check("app-translate-host", "Host header", ed.translateHostHeaderProperty());
        translate.setTooltip(new Tooltip("Send the internal host in the Host header (untick to keep the external host)"));
        CheckBox translateLinks = Forms.check("app-translate-links", "Links in the app's pages", ed.translateLinksInBodyProperty());
        translateLinks.setTooltip(new Tooltip("In the app's HTML and CSS responses, the internal URLs of every published app become their"
                + " external URLs (links to unpublished apps stay as they are)."));
        CheckBox translateScripts = Forms.check("app-translate-links-in-scripts", "… and in scripts and JSON",
                ed.translateLinksInScriptsProperty());
        translateScripts.setTooltip(new Tooltip("Also in the string literals of the app's JavaScript (inline and external) and JSON"
                + " responses; never in code or comments, nor URLs a script builds by concatenation."));
        translateScripts.disableProperty().bind(ed.translateLinksInBodyProperty().not());
        CheckBox anyCase = Forms.check("app-case-insensitive-paths", "Paths match in any letter case (the app is on IIS or treats case alike)",
                ed.caseInsensitivePathsProperty());
        // Short, so the identity providers' drop-down beside it shows what is ticked.
        CheckBox assignment = Forms.check("app-assignment-required", "Require _assignment", ed.assignmentRequiredProperty());
        assignment.setTooltip(new Tooltip("Only users and groups assigned to the app may use it"));
        assignment.setMinWidth(Region.USE_PREF_SIZE);
        CheckBox httpOnly = Forms.check("app-cookie-httponly", "HttpOnly", ed.cookieHttpOnlyProperty());
        // The session cookie is a __Host- cookie, which browsers accept only when Secure: shown, never editable.
        CheckBox secure = new CheckBox("Secure (always)");
        secure.setId("app-cookie-secure");
        secure.setSelected(true);
        secure.setDisable(true);
        secure.setTooltip(new Tooltip(
                "The session cookie is host-only (__Host-), which browsers accept only over HTTPS, so it is always Secure."));
        CheckBox persistent = Forms.check("app-cookie-persistent", "Persistent", ed.cookiePersistentProperty());
        for (CheckBox c : new CheckBox[]{assignment, httpOnly, persistent}) {
            c.disableProperty().bind(ed.preAuthenticationProperty().isEqualTo(PreAuthentication.PASSTHROUGH));
        }
        CheckComboBox<AppIdentityProviders.Choice> providers = AppIdentityProvidersView.of(vm.identityProviders());
        providers.disableProperty().bind(ed.preAuthenticationProperty().isEqualTo(PreAuthentication.PASSTHROUGH));
        form.add(new Label("Translate"), 0, row);
        // One row for both: the form keeps its height (the access requests below stay on screen).
        HBox translation = new HBox(12, translate, translateLinks, translateScripts);
        form.add(translation, 1, row++);
        form.add(new Label("Paths"), 0, row);
        form.add(anyCase, 1, row++);
        form.add(new Label("Access"), 0, row);
        // One row: the form keeps its height.
        HBox accessRow = new HBox(12, assignment, providers);
        HBox.setHgrow(providers, Priority.ALWAYS);
        form.add(accessRow, 1, row++);
        form.add(new Label("Cookies"), 0, row);
        HBox cookies = new HBox(12, httpOnly, secure, persistent);
        form.add(cookies, 1, row++);
        // Proxy settings need PROXY_SETTINGS_WRITE (a cloud application administrator changes access settings only).
        boolean proxy = perms.has(Permission.PROXY_SETTINGS_WRITE), access = perms.has(Permission.APPS_WRITE);
        for (Node n : form.getChildren()) {
            if (n == accessRow || n == cookies) {
                continue;
            }
            if (!(n instanceof Label)) {
                n.setDisable(!proxy);
            }
        }
        if (!access) {
            assignment.disableProperty().unbind();
            assignment.setDisable(true);
            providers.disableProperty().unbind();
            providers.setDisable(true);
            for (CheckBox c : new CheckBox[]{httpOnly, secure, persistent}) {
                c.disableProperty().unbind();
                c.setDisable(true);
            }
        }

        Button save = new Button("_Save");
        save.setId("app-save");
        save.setDefaultButton(true);
        save.textProperty().bind(ed.idProperty().map(id -> "_Save").orElse("_Publish"));
        save.setOnAction(e -> {
            vm.save();
            Forms.focusFirstError(form);
        });
        Button test = new Button("_Test connection");
        test.setId("app-test");
        test.setOnAction(e -> vm.test());
        Label testResult = new Label();
        testResult.setId("app-test-result");
        testResult.textProperty().bind(vm.testResultProperty());
        vm.testOkProperty().addListener((o, was, ok) -> testResult.getStyleClass().setAll("label", ok ? "ok" : "error"));
        HBox actions = new HBox(8, Guard.guard(save, perms, Permission.APPS_WRITE,
                vm.savingProperty().or(ed.idProperty().isNull().and(
                        new SimpleBooleanProperty(!proxy)))),
                Guard.guard(test, perms, Permission.APPS_WRITE, vm.apps().selectedProperty().isNull()), testResult);
        actions.setAlignment(Pos.CENTER_LEFT);

        TableView<AssignmentView> assigned = Tables.table(vm.assignments(), "Nobody assigned yet.");
        assigned.setId("assignments-table");
        assigned.setPrefHeight(150);
        assigned.getColumns().add(Tables.column("Type", 70, a -> Labels.principalType(a.principalType())));
        assigned.getColumns().add(Tables.column("Name", 200, AssignmentView::principalName));
        assigned.getColumns().add(Tables.column("Since", 150, a -> Tables.time(a.createdAt())));
        ComboBox<AppsViewModel.Principal> who = new ComboBox<>(vm.principals());
        who.setId("assign-principal");
        who.setPromptText("User or group");
        who.setPrefWidth(160);
        who.setMinWidth(110);
        who.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(who, Priority.ALWAYS);
        TextField find = Forms.text("assign-search", vm.principalSearchProperty(), "Find user or group");
        find.setPrefColumnCount(9);
        find.setMinWidth(90);
        PauseTransition pause = new PauseTransition(Duration.millis(300));
        pause.setOnFinished(e -> vm.searchPrincipals());
        vm.principalSearchProperty().addListener((o, was, now) -> pause.playFromStart());
        find.setOnAction(e -> {
            pause.stop();
            vm.searchPrincipals();
        });
        Button assign = new Button("Assi_gn");
        assign.setId("assign");
        assign.setOnAction(e -> vm.assign(who.getValue()));
        Button unassign = new Button("_Remove");
        unassign.setId("unassign");
        unassign.setOnAction(e -> vm.unassign());
        assign.setMinWidth(Region.USE_PREF_SIZE);
        unassign.setMinWidth(Region.USE_PREF_SIZE);
        HBox assignBar = new HBox(8, find, who, Guard.guard(assign, perms, Permission.ASSIGNMENTS_WRITE,
                vm.apps().selectedProperty().isNull().or(who.valueProperty().isNull())),
                Guard.guard(unassign, perms, Permission.ASSIGNMENTS_WRITE, vm.assignments().selectedProperty().isNull()));
        TitledPane assignments = new TitledPane("Assignments", new VBox(6, assignBar, assigned));
        assignments.setCollapsible(false);

        TableView<AccessRequestView> pending = Tables.table(vm.requests(), "No pending access requests.");
        pending.setId("requests-table");
        pending.setPrefHeight(110);
        pending.getColumns().add(Tables.column("User", 200, AccessRequestView::upn));
        pending.getColumns().add(Tables.column("Reason", 200, AccessRequestView::reason));
        pending.getColumns().add(Tables.column("Asked", 150, r -> Tables.time(r.createdAt())));
        Button approve = new Button("Approve");
        approve.setId("request-approve");
        approve.setOnAction(e -> vm.decide(true));
        Button deny = new Button("Deny");
        deny.setId("request-deny");
        deny.setOnAction(e -> vm.decide(false));
        var noRequest = vm.requests().selectedProperty().isNull();
        TitledPane requests = new TitledPane("Access requests", new VBox(6, new HBox(8,
                Guard.guard(approve, perms, Permission.ACCESS_REQUESTS_DECIDE, noRequest),
                Guard.guard(deny, perms, Permission.ACCESS_REQUESTS_DECIDE, noRequest)), pending));
        requests.setCollapsible(false);

        Label heading = new Label();
        heading.getStyleClass().add("section");
        heading.textProperty().bind(ed.idProperty().map(id -> "Edit app").orElse("New app"));
        VBox editor = new VBox(10, icon(vm, perms, heading), form, actions, assignments, requests, owners(vm, perms),
                AppPathRulesView.of(vm.pathRules(), vm.apps().selectedProperty().isNull(), perms), AppSsoView.of(vm.sso(), perms));
        editor.setPadding(new Insets(0, 0, 0, 10));
        ScrollPane scroll = new ScrollPane(editor);
        scroll.setId("app-editor-scroll");
        scroll.setFitToWidth(true);
        root.getItems().addAll(left, scroll);
        root.setDividerPositions(0.5);
    }

    /** The heading beside the icon tile, its status, Set icon… (PNG or SVG) and Remove icon. */
    private Node icon(AppsViewModel vm, Permissions perms, Label heading) {
        AppIcon icon = vm.icon();
        AppIconTile tile = new AppIconTile(icon.imageProperty(), vm.editor().nameProperty());
        Label status = new Label();
        status.setId("app-icon-status");
        status.getStyleClass().add("hint");
        status.textProperty().bind(icon.statusProperty());
        Label error = new Label();
        error.setId("app-icon-error");
        error.getStyleClass().add("field-error");
        error.setWrapText(true);
        error.textProperty().bind(icon.errorProperty());
        error.visibleProperty().bind(icon.errorProperty().isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());
        Button set = new Button("Set i_con…");
        set.setId("app-icon-set");
        set.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setTitle("App icon (PNG or SVG, at most 256 KiB)");
            fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("PNG or SVG image", "*.png", "*.svg"),
                    new FileChooser.ExtensionFilter("Any file", "*"));
            File f = fc.showOpenDialog(root.getScene().getWindow());
            if (f != null) {
                icon.upload(f.toPath());
            }
        });
        Button remove = new Button("Remove icon");
        remove.setId("app-icon-remove");
        set.setMinWidth(Region.USE_PREF_SIZE);
        remove.setMinWidth(Region.USE_PREF_SIZE);
        remove.setOnAction(e -> icon.remove());
        HBox buttons = new HBox(8, Guard.guard(set, perms, Permission.APPS_WRITE, vm.apps().selectedProperty().isNull()),
                Guard.guard(remove, perms, Permission.APPS_WRITE, icon.imageProperty().isNull()));
        buttons.setAlignment(Pos.CENTER_LEFT);
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox top = new HBox(8, heading, gap, buttons);
        top.setAlignment(Pos.CENTER_LEFT);
        VBox right = new VBox(2, top, status, error);
        HBox.setHgrow(right, Priority.ALWAYS);
        HBox row = new HBox(12, tile, right);
        row.setAlignment(Pos.CENTER_LEFT);
        return row;
    }

    /** Owners decide the app's access requests: add by UPN, remove the selected one. */
    private static Node owners(AppsViewModel vm, Permissions perms) {
        AppOwners owners = vm.owners();
        TableView<UserView> table = Tables.table(owners.owners(), "No owners: only admins decide access requests.");
        table.setId("owners-table");
        table.setPrefHeight(110);
        table.getColumns().add(Tables.column("Owner", 220, UserView::upn));
        table.getColumns().add(Tables.column("Display name", 180, UserView::displayName));
        TextField who = Forms.text("owner-user", owners.candidateProperty(), "jane.doe@example.com");
        who.setPrefColumnCount(20);
        Button add = new Button("Add o_wner");
        add.setId("owner-add");
        add.setOnAction(e -> owners.add());
        who.setOnAction(e -> owners.add());
        Button remove = new Button("Remove owner");
        remove.setId("owner-remove");
        add.setMinWidth(Region.USE_PREF_SIZE);
        remove.setMinWidth(Region.USE_PREF_SIZE);
        remove.setOnAction(e -> owners.remove());
        HBox bar = new HBox(8, who, Guard.guard(add, perms, Permission.ASSIGNMENTS_WRITE,
                vm.apps().selectedProperty().isNull().or(owners.candidateProperty().isEmpty())),
                Guard.guard(remove, perms, Permission.ASSIGNMENTS_WRITE, owners.owners().selectedProperty().isNull()));
        if (perms.denied(Permission.ASSIGNMENTS_WRITE).isPresent()) {
            who.setDisable(true);
        }
        TitledPane pane = new TitledPane("Owners (they approve access requests)", new VBox(6, bar, table));
        pane.setCollapsible(false);
        return pane;
    }

    public Node root() {
        return root;
    }
}
