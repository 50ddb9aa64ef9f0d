package dev.drawbridge.console.apps;

import dev.drawbridge.console.FakeAdminApi;
import dev.drawbridge.console.SyncTasks;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PathPolicies;
import dev.drawbridge.model.api.PathPolicy;
import dev.drawbridge.model.api.PreAuthentication;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app editor's path rules ({@link AppPathRules}) against the fake server: selecting an app loads its rules; a rule
 * selected loads into the editor; Save rule adds a rule or replaces the one of its path and sends the whole list; Remove
 * rule sends the list without it; a refusal shows each field's problem and keeps the list as stored.
 */
class AppPathRulesTest {
    final FakeAdminApi api = new FakeAdminApi();
    final SyncTasks tasks = new SyncTasks();
    final AppsViewModel vm = new AppsViewModel(api.session(), tasks, tasks);
    final AppPathRules rules = vm.pathRules();

    static final PathPolicy ADMIN = new PathPolicy("/admin", null, List.of("g-admins"), List.of());

    void select() {
        api.apps.put("hr", new AppView("hr", "HR", "https://hr.apps.example.com/", "http://hr.corp.local/", "g1", "Default",
                BackendTimeout.DEFAULT, true, PreAuthentication.DIRECTORY, AccessSettings.DEFAULTS, Instant.EPOCH, Instant.EPOCH));
        api.paths.put("hr", new PathPolicies(List.of(ADMIN)));
        vm.refresh();
        vm.apps().selectedProperty().set(api.apps.get("hr"));
    }

    @Test
    void selectingAnAppLoadsItsRulesAndARuleLoadsIntoTheEditor() {
        select();
        assertThat(rules.rules().items()).containsExactly(ADMIN);
        rules.rules().selectedProperty().set(ADMIN);
        assertThat(rules.pathProperty().get()).isEqualTo("/admin");
        assertThat(rules.modeProperty().get()).isEqualTo("inherit");
        assertThat(rules.usersProperty().get()).isEqualTo("g-admins");
    }

    @Test
    void saveAddsOrReplacesTheRuleOfItsPathAndRemoveTakesTheSelectedOne() {
        select();
        rules.pathProperty().set("/public");
        rules.modeProperty().set("PASSTHROUGH");
        rules.save();
        PathPolicy open = new PathPolicy("/public", PreAuthentication.PASSTHROUGH, List.of(), List.of());
        assertThat(((PathPolicies) api.body("apps.setPaths hr")).paths()).containsExactly(ADMIN, open);
        assertThat(rules.rules().items()).containsExactly(ADMIN, open);
        assertThat(rules.pathProperty().get()).isEmpty();

        rules.pathProperty().set("/admin/");
        rules.usersProperty().set("Admins, alice@corp.example");
        rules.policiesProperty().set("p-mfa");
        rules.save();
        PathPolicy admin = new PathPolicy("/admin/", null, List.of("Admins", "alice@corp.example"), List.of("p-mfa"));
        assertThat(((PathPolicies) api.body("apps.setPaths hr")).paths()).containsExactly(open, admin);

        rules.rules().selectedProperty().set(open);
        rules.remove();
        assertThat(((PathPolicies) api.body("apps.setPaths hr")).paths()).containsExactly(admin);
        assertThat(rules.rules().items()).containsExactly(admin);
    }

    @Test
    void aRefusalShowsEachFieldsProblemAndKeepsTheList() {
        select();
        rules.pathProperty().set("admin");
        rules.save();
        assertThat(rules.errorProperty().get()).isEqualTo("paths[1].path: the path must start with '/'");
        assertThat(rules.rules().items()).containsExactly(ADMIN);
        rules.pathProperty().set(" ");
        rules.save();
        assertThat(rules.errorProperty().get()).startsWith("Type the path");
    }
}
