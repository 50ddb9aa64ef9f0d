package dev.drawbridge.console.apps;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.console.session.Failures;
import dev.drawbridge.console.session.Listing;
import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.model.api.PathPolicies;
import dev.drawbridge.model.api.PathPolicy;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.Problem;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Path rules of the selected app ({@code /apps/{id}/paths}): the table of rules and the rule being edited (path,
 * pre-authentication "inherit", PASSTHROUGH or DIRECTORY, users and groups, policies, comma-separated). Selecting a rule
 * loads it for editing; Save rule adds it or replaces the rule of the same path; Remove rule removes the selected one.
 * Each change sends the whole list and shows it as the server stored it; the server's refusal (each problem naming its
 * field, like {@code paths[2].users}) shows under the editor, and the list stays as stored.
 */
public final class AppPathRules {
    /** The pre-authentication choices: the app's, or one of the modes. */
    public static final List<String> MODES = List.of("inherit", PreAuthentication.PASSTHROUGH.name(), PreAuthentication.DIRECTORY.name());

    private final AdminApi api;
    private final Tasks tasks;
    private final Notices notices;
    private final Listing<PathPolicy> rules = new Listing<>(PathPolicy::path);
    private final StringProperty path = new SimpleStringProperty("");
    private final StringProperty mode = new SimpleStringProperty("inherit");
    private final StringProperty users = new SimpleStringProperty("");
    private final StringProperty policies = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private String appId;

    AppPathRules(AdminApi api, Tasks tasks, Notices notices) {
        this.api = api;
        this.tasks = tasks;
        this.notices = notices;
        rules.selectedProperty().addListener((o, was, now) -> {
            if (now != null) {
                path.set(now.path());
                mode.set(now.preAuthentication() == null ? "inherit" : now.preAuthentication().name());
                users.set(String.join(", ", now.users()));
                policies.set(String.join(", ", now.policies()));
            }
        });
    }

    public Listing<PathPolicy> rules() {
        return rules;
    }

    public StringProperty pathProperty() {
        return path;
    }

    /** "inherit", PASSTHROUGH or DIRECTORY. */
    public StringProperty modeProperty() {
        return mode;
    }

    /** Users (UPN or id) and groups (name or id), comma-separated. */
    public StringProperty usersProperty() {
        return users;
    }

    /** Conditional access policy ids, comma-separated. */
    public StringProperty policiesProperty() {
        return policies;
    }

    /** What the server refused at the last change, empty when nothing. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    void load(String id) {
        appId = id;
        rules.items().clear();
        clearEditor();
        if (id != null) {
            rules.load(tasks, notices, "path rules", () -> api.apps().paths(id).paths());
        }
    }

    private void clearEditor() {
        path.set("");
        mode.set("inherit");
        users.set("");
        policies.set("");
        error.set("");
    }

    /** The rule as edited. */
    PathPolicy edited() {
        String m = mode.get();
        return new PathPolicy(path.get() == null ? "" : path.get().strip(),
                m == null || m.equals("inherit") ? null : PreAuthentication.valueOf(m), split(users.get()), split(policies.get()));
    }

    private static List<String> split(String s) {
        return s == null ? List.of() : Arrays.stream(s.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }

    /** Adds the edited rule, or replaces the rule of its path. */
    public void save() {
        PathPolicy rule = edited();
        if (appId == null || rule.path().isEmpty()) {
            error.set(appId == null ? "" : "Type the path of the rule, like /admin.");
            return;
        }
        String key = plain(rule.path());
        List<PathPolicy> next = new ArrayList<>(rules.items());
        next.removeIf(r -> r.path().equals(key));
        next.add(rule);
        send(next, "Path rule saved", key);
    }

    /** Removes the selected rule. */
    public void remove() {
        PathPolicy selected = rules.selected();
        if (appId == null || selected == null) {
            return;
        }
        List<PathPolicy> next = new ArrayList<>(rules.items());
        next.remove(selected);
        send(next, "Path rule removed", selected.path());
    }

    private void send(List<PathPolicy> next, String title, String what) {
        String id = appId;
        tasks.runQuietly("save the path rules", () -> api.apps().setPaths(id, new PathPolicies(next)), stored -> {
            if (id.equals(appId)) {
                rules.replace(stored.paths());
                clearEditor();
            }
            notices.info(title, what);
        }, e -> error.set(Failures.problem(e).filter(p -> !p.errors().isEmpty()).map(AppPathRules::lines)
                .orElseGet(() -> Failures.message(e))));
    }

    /** A path as the server stores it: without a trailing slash ("/" stays). */
    static String plain(String p) {
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /** For the table: a rule's users or policies, or what applies without them. */
    static String listed(List<String> l, String none) {
        return l.isEmpty() ? none : String.join(", ", l);
    }

    /** A problem's field errors as "field: message" lines. */
    static String lines(Problem p) {
        return p.errors().stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("\n"));
    }
}
