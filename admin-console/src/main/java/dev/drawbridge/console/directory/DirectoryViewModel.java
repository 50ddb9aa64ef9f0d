package dev.drawbridge.console.directory;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.adminclient.Users;
import dev.drawbridge.console.labels.Labels;
import dev.drawbridge.console.session.Listing;
import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Pages;
import dev.drawbridge.console.session.Session;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.GroupBody;
import dev.drawbridge.model.api.GroupView;
import dev.drawbridge.model.api.MemberBody;
import dev.drawbridge.model.api.PasswordBody;
import dev.drawbridge.model.api.RolesBody;
import dev.drawbridge.model.api.UserSpec;
import dev.drawbridge.model.api.UserView;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.security.SecureRandom;
import java.util.List;
import java.util.function.Consumer;

/** Users and groups of the built-in directory: server-side search a page at a time, create, passwords, sessions, roles, members. */
public final class DirectoryViewModel {
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private final AdminApi api;
    private final Tasks tasks;
    private final Notices notices;
    private final Listing<UserView> users = new Listing<>(UserView::id);
    private final Listing<GroupView> groups = new Listing<>(GroupView::id);
    private final Listing<UserView> members = new Listing<>(UserView::id);
    private final StringProperty search = new SimpleStringProperty("");
    private final StringProperty groupSearch = new SimpleStringProperty("");
    private final Pages<UserView> userPages;
    private final Pages<GroupView> groupPages;
    private final SecureRandom random = new SecureRandom();

    public DirectoryViewModel(Session session, Tasks tasks, Notices notices) {
        this(session, tasks, notices, 500);
    }

    /** @param pageSize users and groups read per page */
    public DirectoryViewModel(Session session, Tasks tasks, Notices notices, int pageSize) {
        this.api = session.api();
        this.tasks = tasks;
        this.notices = notices;
        this.userPages = new Pages<>(users, pageSize);
        this.groupPages = new Pages<>(groups, pageSize);
        groups.selectedProperty().addListener((o, was, now) -> loadMembers());
    }

    public Listing<UserView> users() {
        return users;
    }

    /** The users read so far of the current search, and whether the server has more. */
    public Pages<UserView> userPages() {
        return userPages;
    }

    public Pages<GroupView> groupPages() {
        return groupPages;
    }

    /** The server searches UPN, display name and e-mail ({@code GET /users?search=}). */
    public StringProperty searchProperty() {
        return search;
    }

    /** The server searches group names and descriptions ({@code GET /groups?search=}). */
    public StringProperty groupSearchProperty() {
        return groupSearch;
    }

    /** Loads the first page of users matching the search. */
    public void searchUsers() {
        Users.Search q = search(search.get());
        userPages.first(tasks, notices, "users", "users?" + q, (offset, limit) -> api.users().list(new Paging(offset, limit), q));
    }

    /** Loads the next page of users. */
    public void moreUsers() {
        userPages.more(tasks, notices);
    }

    public void searchGroups() {
        Users.Search q = search(groupSearch.get());
        groupPages.first(tasks, notices, "groups", "groups?" + q, (offset, limit) -> api.groups().list(new Paging(offset, limit), q));
    }

    /** The server-side search of what the admin typed (none when blank). */
    private static Users.Search search(String text) {
        String q = text == null ? "" : text.strip();
        return q.isEmpty() ? Users.Search.ALL : new Users.Search(q);
    }

    public void moreGroups() {
        groupPages.more(tasks, notices);
    }

    public Listing<GroupView> groups() {
        return groups;
    }

    public Listing<UserView> members() {
        return members;
    }

    public void refresh() {
        searchUsers();
        searchGroups();
        loadMembers();
    }

    private void loadMembers() {
        GroupView g = groups.selected();
        if (g == null) {
            members.items().clear();
            return;
        }
        members.load(tasks, notices, "group members", () -> api.groups().members(g.id()));
    }

    /** A random 16-character password (no look-alike characters). */
    public String generatePassword() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    /** A New user form with a generated initial password. */
    public UserForm newUserForm() {
        return new UserForm(generatePassword());
    }

    /** Creates the user of {@code form}; {@code created} runs (the dialog closes) once the server accepted it. */
    public void createUser(UserForm form, Runnable created) {
        UserSpec spec = form.spec();
        form.save(tasks, notices, "create user " + spec.upn(), "Could not create " + spec.upn(), () -> api.users().create(spec), u -> {
            created.run();
            notices.info("User created", u.upn());
            users.items().add(u);
            userPages.adjust(1);
            users.selectedProperty().set(u);
        });
    }

    public void deleteUser(UserView u) {
        tasks.run("delete user " + u.upn(), () -> {
            api.users().delete(u.id());
            return u;
        }, gone -> {
            users.items().remove(gone);
            userPages.adjust(-1);
            notices.info("User deleted", gone.upn());
        });
    }

    /** Sets a new password; {@code done} gets it so the view can show it once. */
    public void resetPassword(UserView u, String password, Consumer<String> done) {
        tasks.run("reset the password of " + u.upn(), () -> api.users().resetPassword(u.id(),
                new PasswordBody(password)), r -> done.accept(password));
    }

    public void revokeSessions(UserView u) {
        action(() -> api.users().revokeSessions(u.id()), "revoke the sessions of " + u.upn(), "Sessions revoked",
                u.upn() + " must sign in again everywhere.");
    }

    public void resetMfa(UserView u) {
        action(() -> api.users().resetMfa(u.id()), "reset two-step verification of " + u.upn(), "Two-step verification reset",
                u.upn() + " enrolls again at the next sign-in.");
    }

    public void setEnabled(UserView u, boolean enabled) {
        action(() -> enabled ? api.users().enable(u.id()) : api.users().disable(u.id()), (enabled ? "enable " : "disable ") + u.upn(),
                enabled ? "User enabled" : "User disabled", u.upn());
    }

    private void action(Tasks.Work<UserView> call, String what, String title, String text) {
        tasks.run(what, call, r -> {
            notices.info(title, text);
            refresh();
        });
    }

    /** A user's current admin roles (empty on a server without role assignment). */
    public void loadRoles(UserView u, Consumer<List<AdminRole>> show) {
        tasks.runQuietly("load the roles of " + u.upn(), () -> api.users().roles(u.id()).roles(),
                show, e -> show.accept(List.of()));
    }

    public void setRoles(UserView u, List<AdminRole> roles) {
        tasks.run("set the admin roles of " + u.upn(), () -> api.users().setRoles(u.id(), new RolesBody(roles)),
                r -> notices.info("Roles saved", u.upn() + ": " + (roles.isEmpty() ? "no admin role"
                        : Labels.roles(roles))));
    }

    /** Creates the group of {@code form} (dynamic when it has a rule); {@code created} runs once the server accepted it. */
    public void createGroup(GroupForm form, Runnable created) {
        GroupBody body = form.body();
        form.save(tasks, notices, "create group " + body.name(), "Could not create group " + body.name(),
                () -> api.groups().create(body), g -> {
                    created.run();
                    groups.items().add(g);
                    groupPages.adjust(1);
                    groups.selectedProperty().set(g);
                    notices.info("Group created", g.name());
                });
    }

    public void deleteGroup(GroupView g) {
        tasks.run("delete group " + g.name(), () -> {
            api.groups().delete(g.id());
            return g;
        }, gone -> {
            groups.items().remove(gone);
            groupPages.adjust(-1);
            notices.info("Group deleted", gone.name());
        });
    }

    public void addMember(UserView u) {
        GroupView g = groups.selected();
        if (g == null || u == null) {
            return;
        }
        tasks.run("add " + u.upn() + " to " + g.name(), () -> {
            api.groups().addMember(g.id(), new MemberBody(u.id()));
            return u;
        }, r -> {
            notices.info("Member added", u.upn() + " is in " + g.name());
            refresh();
        });
    }

    public void removeMember(UserView u) {
        GroupView g = groups.selected();
        if (g == null || u == null) {
            return;
        }
        tasks.run("remove " + u.upn() + " from " + g.name(), () -> {
            api.groups().removeMember(g.id(), u.id());
            return u;
        }, gone -> refresh());
    }
}
