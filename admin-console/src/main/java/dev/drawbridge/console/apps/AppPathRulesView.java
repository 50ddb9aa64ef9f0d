package dev.drawbridge.console.apps;

import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.console.shell.Forms;
import dev.drawbridge.console.shell.Guard;
import dev.drawbridge.console.shell.Tables;
import dev.drawbridge.model.api.AdminRole.Permission;
import dev.drawbridge.model.api.PathPolicy;
import javafx.beans.value.ObservableBooleanValue;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The app editor's path rules section ({@link AppPathRules}): the table of rules (path, pre-authentication, users,
 * policies), the rule being edited below it (selecting a row loads it), Save rule and Remove rule (a proxy setting:
 * PROXY_SETTINGS_WRITE), and the server's refusal.
 */
final class AppPathRulesView {
    private AppPathRulesView() {
    }

    static Node of(AppPathRules rules, ObservableBooleanValue noApp, Permissions perms) {
        TableView<PathPolicy> table = Tables.table(rules.rules(), "No path rules: the app's settings apply to all its paths.");
        table.setId("path-rules-table");
        table.setPrefHeight(120);
        table.getColumns().add(Tables.column("Path", 140, PathPolicy::path));
        table.getColumns().add(Tables.column("Pre-authentication", 130,
                r -> r.preAuthentication() == null ? "(the app's)" : r.preAuthentication().name()));
        table.getColumns().add(Tables.column("Users and groups", 170, r -> AppPathRules.listed(r.users(), "(the app's)")));
        table.getColumns().add(Tables.column("Policies", 110, r -> AppPathRules.listed(r.policies(), "-")));
        TextField path = Forms.text("path-rule-path", rules.pathProperty(), "/admin");
        path.setPrefColumnCount(10);
        ComboBox<String> mode = new ComboBox<>();
        mode.getItems().setAll(AppPathRules.MODES);
        mode.setId("path-rule-preauth");
        mode.valueProperty().bindBidirectional(rules.modeProperty());
        mode.setTooltip(new Tooltip("inherit: the app's. PASSTHROUGH opens the path to anyone, without sign-in."));
        TextField users = Forms.text("path-rule-users", rules.usersProperty(), "users or groups, comma-separated");
        TextField policies = Forms.text("path-rule-policies", rules.policiesProperty(), "policy ids");
        policies.setPrefColumnCount(8);
        HBox.setHgrow(users, Priority.ALWAYS);
        HBox fields = new HBox(8, path, mode, users, policies);
        fields.setAlignment(Pos.CENTER_LEFT);
        Button save = new Button("Save rule");
        save.setId("path-rule-save");
        save.setOnAction(e -> rules.save());
        Button remove = new Button("Remove rule");
        remove.setId("path-rule-remove");
        remove.setOnAction(e -> rules.remove());
        save.setMinWidth(Region.USE_PREF_SIZE);
        remove.setMinWidth(Region.USE_PREF_SIZE);
        HBox bar = new HBox(8, Guard.guard(save, perms, Permission.PROXY_SETTINGS_WRITE, noApp),
                Guard.guard(remove, perms, Permission.PROXY_SETTINGS_WRITE, rules.rules().selectedProperty().isNull()));
        if (perms.denied(Permission.PROXY_SETTINGS_WRITE).isPresent()) {
            fields.setDisable(true);
        }
        Label error = new Label();
        error.setId("path-rule-error");
        error.getStyleClass().add("field-error");
        error.setWrapText(true);
        error.textProperty().bind(rules.errorProperty());
        error.visibleProperty().bind(rules.errorProperty().isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());
        Label hint = new Label("The most specific path applies; /admin covers /admin/x, not /administrator.");
        hint.getStyleClass().add("hint");
        TitledPane pane = new TitledPane("Path rules", new VBox(6, table, fields, bar, error, hint));
        pane.setId("path-rules");
        pane.setCollapsible(false);
        return pane;
    }
}
