package dev.drawbridge.console.directory;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.drawbridge.console.api.Api;
import dev.drawbridge.console.session.Listing;
import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Pages;
import dev.drawbridge.console.session.Session;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.GroupView;
import dev.drawbridge.model.api.Page;
import dev.drawbridge.model.api.RolesBody;
import dev.drawbridge.model.api.UserSpec;
import dev.drawbridge.model.api.UserView;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Users and groups of the built-in directory: server-side search a page at a time, create, passwords, sessions, roles, members. */
public final class DirectoryViewModel {
    private static final TypeReference<Page<UserView>> USERS = new TypeReference<>() { };
    private static final TypeReference<Page<GroupView>> GROUPS = new TypeReference<>() { };
    private static final TypeReference<List<UserView>> MEMBERS = new TypeReference<>() { };
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private final Api api;
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
        search(userPages, "users", search.get(), USERS);
    }

    /** Loads the next page of users. */
    public void moreUsers() {
        userPages.more(tasks, notices);
    }

    public void searchGroups() {
        search(groupPages, "groups", groupSearch.get(), GROUPS);
    }

    /** Loads the first page of {@code resource} (users or groups) whose server-side search matches {@code text}. */
    private <T> void search(Pages<T> pages, String resource, String text, TypeReference<Page<T>> type) {
        String q = text == null ? "" : text.strip();
        String base = resource + "?" + (q.isEmpty() ? "" : "search=" + Api.enc(q) + "&");
        pages.first(tasks, notices, resource, base, (offset, limit) -> api.get(base + "offset=" + offset + "&limit=" + limit, type));
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
        members.load(tasks, notices, "group members", () -> api.get("groups/" + g.id() + "/members", MEMBERS));
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
        form.save(tasks, notices, "create user " + spec.upn(), "Could not create " + spec.upn(), () -> api.post("users", spec, UserView.class), u -> {
            created.run();
            notices.info("User created", u.upn());
            users.items().add(u);
            userPages.adjust(1);
            users.selectedProperty().set(u);
        });
    }

    public void deleteUser(UserView u) {
        tasks.run("delete user " + u.upn(), () -> {
            api.delete("users/" + u.id());
            return u;
        }, gone -> {
            users.items().remove(gone);
            userPages.adjust(-1);
            notices.info("User deleted", gone.upn());
        });
    }

    /** Sets a new password; {@code done} gets it so the view can show it once. */
    public void resetPassword(UserView u, String password, Consumer<String> done) {
        tasks.run("reset the password of " + u.upn(), () -> api.post("users/" + u.id() + "/password",
                Map.of("password", password), Object.class), r -> done.accept(password));
    }

    public void revokeSessions(UserView u) {
        action(u, "revoke-sessions", "revoke the sessions of " + u.upn(), "Sessions revoked",
                u.upn() + " must sign in again everywhere.");
    }

    public void resetMfa(UserView u) {
        action(u, "reset-mfa", "reset two-step verification of " + u.upn(), "Two-step verification reset",
                u.upn() + " enrolls again at the next sign-in.");
    }

    public void setEnabled(UserView u, boolean enabled) {
        action(u, enabled ? "enable" : "disable", (enabled ? "enable " : "disable ") + u.upn(),
                enabled ? "User enabled" : "User disabled", u.upn());
    }

    private void action(UserView u, String action, String what, String title, String text) {
        tasks.run(what, () -> api.post("users/" + u.id() + "/" + action, Map.of(), Object.class), r -> {
            notices.info(title, text);
            refresh();
        });
    }

    /** A user's current admin roles (empty on a server without role assignment). */
    public void loadRoles(UserView u, Consumer<List<AdminRole>> show) {
        tasks.runQuietly("load the roles of " + u.upn(), () -> api.get("users/" + u.id() + "/roles", RolesBody.class).roles(),
                show, e -> show.accept(List.of()));
    }

    public void setRoles(UserView u, List<AdminRole> roles) {
        tasks.run("set the admin roles of " + u.upn(), () -> api.put("users/" + u.id() + "/roles", Map.of("roles", roles), Object.class),
                r -> notices.info("Roles saved", u.upn() + ": " + (roles.isEmpty() ? "no admin role"
                        : dev.drawbridge.console.labels.Labels.roles(roles))));
    }

    /** Creates the group of {@code form} (dynamic when it has a rule); {@code created} runs once the server accepted it. */
    public void createGroup(GroupForm form, Runnable created) {
        Map<String, String> body = form.body();
        form.save(tasks, notices, "create group " + body.get("name"), "Could not create group " + body.get("name"),
                () -> api.post("groups", body, GroupView.class), g -> {
                    created.run();
                    groups.items().add(g);
                    groupPages.adjust(1);
                    groups.selectedProperty().set(g);
                    notices.info("Group created", g.name());
                });
    }

    public void deleteGroup(GroupView g) {
        tasks.run("delete group " + g.name(), () -> {
            api.delete("groups/" + g.id());
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
        tasks.run("add " + u.upn() + " to " + g.name(), () -> api.post("groups/" + g.id() + "/members",
                Map.of("user", u.id()), Object.class), r -> {
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
            api.delete("groups/" + g.id() + "/members/" + u.id());
            return u;
        }, gone -> refresh());
    }
}
