package dev.drawbridge.console.directory;

import dev.drawbridge.console.labels.Labels;
import dev.drawbridge.console.session.FieldErrors;
import dev.drawbridge.console.session.Pages;
import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.console.shell.Dialogs;
import dev.drawbridge.console.shell.FormDialog;
import dev.drawbridge.console.shell.Forms;
import dev.drawbridge.console.shell.Guard;
import dev.drawbridge.console.shell.Tables;
import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.AdminRole.Permission;
import dev.drawbridge.model.api.GroupView;
import dev.drawbridge.model.api.UserView;
import javafx.animation.PauseTransition;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.StringProperty;
import javafx.event.ActionEvent;
import javafx.event.EventHandler;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import javafx.util.StringConverter;

import java.util.ArrayList;
import java.util.List;

/** Users (search, create, password, sessions, MFA, roles) and groups (members). */
public final class DirectoryView {
    private final TabPane root = new TabPane();
    private final DirectoryViewModel vm;

    public DirectoryView(DirectoryViewModel vm, DirectorySyncViewModel sync, IdentityProviderViewModel idp, Permissions perms) {
        this.vm = vm;
        root.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        Tab users = new Tab("Users", users(perms));
        users.setId("users-tab");
        Tab groups = new Tab("Groups", groups(perms));
        groups.setId("dir-groups-tab");
        Tab syncTab = new Tab("Directory sync", new DirectorySyncView(sync, perms).root());
        syncTab.setId("directory-sync-tab");
        Tab idpTab = new Tab("External sign-in", new IdentityProviderView(idp, perms).root());
        idpTab.setId("identity-provider-tab");
        root.getTabs().addAll(users, groups, syncTab, idpTab);
    }

    /** A search field that asks the server 300 ms after the last keystroke, or at once on Enter. */
    private static TextField search(String id, String prompt, StringProperty text, Runnable run) {
        TextField search = new TextField();
        search.setId(id);
        search.setPromptText(prompt);
        search.setPrefColumnCount(18);
        search.textProperty().bindBidirectional(text);
        PauseTransition pause = new PauseTransition(Duration.millis(300));
        pause.setOnFinished(e -> run.run());
        text.addListener((o, was, now) -> pause.playFromStart());
        search.setOnAction(e -> {
            pause.stop();
            run.run();
        });
        return search;
    }

    /** "500 of 1,234 users" and a Load more button while the server has more. */
    private static Node footer(String id, String one, String many, Pages<?> pages, Runnable more) {
        Label count = new Label();
        count.setId(id + "-count");
        count.getStyleClass().add("hint");
        count.textProperty().bind(pages.summaryProperty().map(c -> c.isEmpty() ? "" : c + " " + (pages.totalProperty().get() == 1 ? one : many)));
        Button load = button("Load more", id + "-more", e -> more.run());
        load.visibleProperty().bind(pages.moreProperty());
        load.managedProperty().bind(load.visibleProperty());
        HBox box = new HBox(8, count, load);
        box.setAlignment(Pos.CENTER_LEFT);
        return box;
    }

    private Node users(Permissions perms) {
        TextField search = search("user-search", "Search UPN, name or e-mail", vm.searchProperty(), vm::searchUsers);
        TableView<UserView> table = Tables.table(vm.users(), "No users.");
        table.setId("users-table");
        table.getColumns().add(Tables.column("User principal name", 200, UserView::upn));
        table.getColumns().add(Tables.column("Display name", 140, UserView::displayName));
        table.getColumns().add(Tables.column("Department", 100, UserView::department));
        table.getColumns().add(Tables.column("Enabled", 60, u -> u.enabled() ? "yes" : "no"));
        table.getColumns().add(Tables.column("MFA", 50, u -> u.mfaEnrolled() ? "yes" : "no"));
        table.getColumns().add(Tables.column("Locked until", 130, u -> Tables.time(u.lockedUntil())));
        table.getColumns().add(Tables.column("Groups", 160, u -> String.join(", ", u.groups())));
        // From directory sync only (read-only): what single sign-on may name the user by at apps.
        table.getColumns().add(Tables.column("On-premises UPN", 180, UserView::onPremUpn));
        table.getColumns().add(Tables.column("SAM account name", 110, UserView::samAccountName));

        BooleanBinding none = vm.users().selectedProperty().isNull();
        Button create = button("_New user…", "user-new", e -> newUser());
        Button reset = button("Reset _password…", "user-reset-password", e -> {
            UserView u = vm.users().selected();
            if (u != null && Dialogs.confirm(root, "Reset the password of " + u.upn() + "?",
                    "A new random password replaces the old one; you will see it once.")) {
                vm.resetPassword(u, vm.generatePassword(), pw -> Dialogs.showCopyable(root, "New password",
                        "Give this password to " + u.upn() + " over a trusted channel:", pw));
            }
        });
        Button revoke = button("Revoke _sessions", "user-revoke-sessions", e -> {
            UserView u = vm.users().selected();
            if (u != null && Dialogs.confirm(root, "Sign " + u.upn() + " out everywhere?", "Every session of this user ends now.")) {
                vm.revokeSessions(u);
            }
        });
        Button mfa = button("Reset M_FA", "user-reset-mfa", e -> {
            UserView u = vm.users().selected();
            if (u != null) {
                vm.resetMfa(u);
            }
        });
        Button enable = button("Disable", "user-enable", e -> {
            UserView u = vm.users().selected();
            if (u != null) {
                vm.setEnabled(u, !u.enabled());
            }
        });
        enable.textProperty().bind(vm.users().selectedProperty().map(u -> u.enabled() ? "Disable" : "Enable").orElse("Disable"));
        Button roles = button("_Roles…", "user-roles", e -> {
            UserView u = vm.users().selected();
            if (u != null) {
                vm.loadRoles(u, current -> rolesDialog(u, current));
            }
        });
        Button delete = button("Delete", "user-delete", e -> {
            UserView u = vm.users().selected();
            if (u != null && Dialogs.confirm(root, "Delete " + u.upn() + "?", "The user can no longer sign in.")) {
                vm.deleteUser(u);
            }
        });
        HBox bar = new HBox(8, search, Guard.guard(create, perms, Permission.DIRECTORY_WRITE),
                Guard.guard(reset, perms, Permission.USERS_RESET_PASSWORD, none),
                Guard.guard(revoke, perms, Permission.USERS_REVOKE_SESSIONS, none),
                Guard.guard(mfa, perms, Permission.USERS_RESET_PASSWORD, none),
                Guard.guard(enable, perms, Permission.DIRECTORY_WRITE, none),
                Guard.guard(roles, perms, Permission.ROLES_WRITE, none),
                Guard.guard(delete, perms, Permission.DIRECTORY_WRITE, none));
        bar.getStyleClass().add("toolbar-row");
        VBox box = new VBox(8, bar, table, footer("users", "user", "users", vm.userPages(), vm::moreUsers));
        VBox.setVgrow(table, Priority.ALWAYS);
        return box;
    }

    private Node groups(Permissions perms) {
        TableView<GroupView> table = Tables.table(vm.groups(), "No groups.");
        table.setId("dir-groups-table");
        table.getColumns().add(Tables.column("Group", 160, GroupView::name));
        table.getColumns().add(Tables.column("Description", 200, GroupView::description));
        table.getColumns().add(Tables.column("Members", 70, GroupView::members));
        table.getColumns().add(Tables.column("Dynamic rule", 160, GroupView::membershipRule));
        Button create = button("New _group…", "dir-group-new", e -> newGroup());
        Button delete = button("Delete group", "dir-group-delete", e -> {
            GroupView g = vm.groups().selected();
            if (g != null && Dialogs.confirm(root, "Delete group " + g.name() + "?", "Its assignments go with it.")) {
                vm.deleteGroup(g);
            }
        });
        TextField search = search("group-search", "Search name or description", vm.groupSearchProperty(), vm::searchGroups);
        search.setPrefColumnCount(14);
        VBox left = new VBox(8, new HBox(8, search, Guard.guard(create, perms, Permission.DIRECTORY_WRITE),
                Guard.guard(delete, perms, Permission.DIRECTORY_WRITE, vm.groups().selectedProperty().isNull())), table,
                footer("groups", "group", "groups", vm.groupPages(), vm::moreGroups));
        VBox.setVgrow(table, Priority.ALWAYS);

        TableView<UserView> members = Tables.table(vm.members(), "Select a group to see its members.");
        members.setId("members-table");
        members.getColumns().add(Tables.column("Member", 200, UserView::upn));
        members.getColumns().add(Tables.column("Display name", 150, UserView::displayName));
        ComboBox<UserView> who = new ComboBox<>(vm.users().items());
        who.setId("member-user");
        who.setPromptText("User");
        who.setConverter(new StringConverter<>() {
            @Override
            public String toString(UserView u) {
                return u == null ? "" : u.upn();
            }

            @Override
            public UserView fromString(String s) {
                return null;
            }
        });
        Button add = button("_Add member", "member-add", e -> vm.addMember(who.getValue()));
        Button remove = button("Remove member", "member-remove", e -> vm.removeMember(vm.members().selected()));
        BooleanBinding dynamic = Bindings.createBooleanBinding(() -> vm.groups().selected() != null
                && vm.groups().selected().membershipRule() != null, vm.groups().selectedProperty());
        VBox right = new VBox(8, new Label("Members (dynamic groups follow their rule)"),
                new HBox(8, who, Guard.guard(add, perms, Permission.DIRECTORY_WRITE,
                        vm.groups().selectedProperty().isNull().or(who.valueProperty().isNull()).or(dynamic)),
                        Guard.guard(remove, perms, Permission.DIRECTORY_WRITE, vm.members().selectedProperty().isNull().or(dynamic))),
                members);
        VBox.setVgrow(members, Priority.ALWAYS);
        SplitPane split = new SplitPane(left, right);
        split.setDividerPositions(0.55);
        return split;
    }

    private void newUser() {
        UserForm f = vm.newUserForm();
        FieldErrors err = f.errors();
        GridPane g = Forms.grid();
        int row = 0;
        row = Forms.field(g, row, "_User principal name", field("new-user-upn", f.upnProperty(), "jane.doe@example.com"), err, UserForm.UPN);
        row = Forms.field(g, row, "_Display name", field("new-user-name", f.displayNameProperty(), "Jane Doe"), err, UserForm.DISPLAY_NAME);
        row = Forms.field(g, row, "_E-mail", field("new-user-email", f.emailProperty(), "jane.doe@example.com"), err, UserForm.EMAIL);
        row = Forms.field(g, row, "De_partment", field("new-user-department", f.departmentProperty(), "Finance"));
        Forms.field(g, row, "Initial pass_word", field("new-user-password", f.passwordProperty(), ""), err, UserForm.PASSWORD);
        FormDialog.show(root, "New user", "Create a user in the built-in directory", g, f, close -> vm.createUser(f, close));
    }

    private void newGroup() {
        GroupForm f = new GroupForm();
        FieldErrors err = f.errors();
        GridPane g = Forms.grid();
        int row = 0;
        row = Forms.field(g, row, "_Name", field("new-group-name", f.nameProperty(), "Finance"), err, GroupForm.NAME);
        row = Forms.field(g, row, "_Description", field("new-group-description", f.descriptionProperty(), "Finance department"),
                err, GroupForm.DESCRIPTION);
        Forms.field(g, row, "Membership _rule (dynamic)", field("new-group-rule", f.ruleProperty(),
                "department eq \"Finance\" and upn endsWith \"@corp.example\""), err, GroupForm.RULE);
        FormDialog.show(root, "New group", "An assigned group, or a dynamic one whose members follow a rule", g, f,
                close -> vm.createGroup(f, close));
    }

    private void rolesDialog(UserView u, List<AdminRole> current) {
        Dialog<List<AdminRole>> d = new Dialog<>();
        d.initOwner(root.getScene().getWindow());
        d.setTitle("Admin roles");
        d.setHeaderText("Admin roles of " + u.upn() + " (replaces the current roles)");
        VBox box = new VBox(6);
        List<CheckBox> checks = new ArrayList<>();
        for (AdminRole r : AdminRole.values()) {
            CheckBox c = new CheckBox(Labels.of(r));
            c.setId("role-" + r.name());
            c.setUserData(r);
            c.setSelected(current.contains(r));
            checks.add(c);
            box.getChildren().add(c);
        }
        d.getDialogPane().setContent(box);
        d.getDialogPane().getButtonTypes().setAll(ButtonType.OK, ButtonType.CANCEL);
        d.setResultConverter(b -> b == ButtonType.OK ? checks.stream().filter(CheckBox::isSelected)
                .map(c -> (AdminRole) c.getUserData()).toList() : null);
        d.showAndWait().ifPresent(roles -> vm.setRoles(u, roles));
    }

    private static TextField field(String id, StringProperty p, String prompt) {
        TextField t = Forms.text(id, p, prompt);
        t.setPrefColumnCount(28);
        return t;
    }

    private static Button button(String text, String id, EventHandler<ActionEvent> action) {
        Button b = new Button(text);
        b.setId(id);
        b.setOnAction(action);
        b.setMinWidth(Region.USE_PREF_SIZE);
        return b;
    }

    public Node root() {
        return root;
    }
}
