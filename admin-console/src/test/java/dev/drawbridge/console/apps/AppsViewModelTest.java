package dev.drawbridge.console.apps;

import dev.drawbridge.adminclient.AccessRequests;
import dev.drawbridge.adminclient.Users;
import dev.drawbridge.console.FakeAdminApi;
import dev.drawbridge.console.SyncTasks;
import dev.drawbridge.model.api.AccessRequestStatus;
import dev.drawbridge.model.api.AccessRequestView;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AppTestResult;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.AssignmentBody;
import dev.drawbridge.model.api.AssignmentView;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.GroupView;
import dev.drawbridge.model.api.MemberBody;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.UserView;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AppsViewModelTest {
    final FakeAdminApi api = new FakeAdminApi();
    final SyncTasks tasks = new SyncTasks();
    final AppsViewModel vm = new AppsViewModel(api.session(), tasks, tasks);

    static AppView app(String id, String name) {
        return new AppView(id, name, "https://" + id + ".apps.example.com/", "http://" + id + ".corp.local/", "g1", "Default",
                BackendTimeout.DEFAULT, true, PreAuthentication.DIRECTORY, AccessSettings.DEFAULTS, Instant.EPOCH, Instant.EPOCH);
    }

    static UserView user(String id, String upn) {
        return new UserView(id, upn, upn, null, null, true, true, false, null, List.of(), Instant.EPOCH);
    }

    void hasApps(AppView... apps) {
        for (AppView a : apps) {
            api.apps.put(a.id(), a);
        }
    }

    @Test
    void publishesTheEditorsAppAndSelectsIt() {
        vm.newApp();
        vm.editor().nameProperty().set("HR");
        vm.editor().externalUrlProperty().set("https://hr.apps.example.com/");
        vm.editor().internalUrlProperty().set("http://hr.corp.local/");
        vm.save();
        // Selecting the new app loads its assignments, the pending requests, its icon (none: 404), owners and path rules.
        assertThat(api.calls()).containsExactly("apps.create", "apps.assignments hr", "accessRequests.list", "apps.icon hr",
                "apps.owners hr", "apps.paths hr");
        assertThat(((AppSpec) api.body("apps.create")).externalUrl()).isEqualTo("https://hr.apps.example.com/");
        assertThat(api.body("accessRequests.list")).isEqualTo(new AccessRequests.Filter(AccessRequestStatus.PENDING));
        assertThat(api.apps).containsKey("hr");
        assertThat(vm.apps().selected().id()).isEqualTo("hr");
        assertThat(vm.editor().isNew()).isFalse();
        assertThat(vm.icon().statusProperty().get()).startsWith("No icon");
        assertThat(tasks.notices).anyMatch(n -> n.startsWith("info: App published"));
    }

    @Test
    void aSavedAppIsReplacedNotCreatedAgain() {
        hasApps(app("hr", "HR"));
        vm.refresh();
        vm.apps().selectedProperty().set(vm.apps().items().getFirst());
        vm.editor().internalUrlProperty().set("http://hr2.corp.local/");
        vm.save();
        assertThat(api.calls()).contains("apps.replace hr").doesNotContain("apps.create");
        assertThat(api.apps.get("hr").internalUrl()).isEqualTo("http://hr2.corp.local/");
        assertThat(vm.apps().items()).extracting(AppView::internalUrl).containsExactly("http://hr2.corp.local/");
        assertThat(tasks.notices).anyMatch(n -> n.startsWith("info: App saved"));
    }

    @Test
    void aRefreshKeepsTheSelectionAndTheEditor() {
        hasApps(app("hr", "HR"), app("wiki", "Wiki"));
        vm.refresh();
        vm.apps().selectedProperty().set(vm.apps().items().get(1));
        vm.editor().nameProperty().set("Wiki (edited)");
        vm.refresh();
        assertThat(vm.apps().selected().id()).isEqualTo("wiki");
        assertThat(vm.editor().nameProperty().get()).isEqualTo("Wiki (edited)");
    }

    @Test
    void aSaveOfAnInvalidAppShowsItsErrorsAndSendsNothing() {
        vm.newApp();
        assertThat(vm.editor().error(AppEditor.NAME).get()).isEmpty();
        vm.save();
        assertThat(api.calls()).doesNotContain("apps.create");
        assertThat(vm.editor().error(AppEditor.NAME).get()).isEqualTo("Name is required.");
        assertThat(vm.editor().error(AppEditor.EXTERNAL).get()).startsWith("External URL is required");
        // Starting another new app forgets the tried save.
        vm.newApp();
        assertThat(vm.editor().error(AppEditor.NAME).get()).isEmpty();
    }

    @Test
    void theServersFieldErrorsShowOnTheEditor() {
        api.fail("apps.create", 400, "about:blank", "invalid app",
                new Problem.FieldError("externalUrl", "another app already uses https://hr.apps.example.com/"));
        vm.newApp();
        vm.editor().nameProperty().set("HR");
        vm.editor().externalUrlProperty().set("https://hr.apps.example.com/");
        vm.editor().internalUrlProperty().set("http://hr.corp.local/");
        vm.save();
        assertThat(vm.editor().error(AppEditor.EXTERNAL).get()).startsWith("another app already uses");
        assertThat(vm.editor().error(AppEditor.NAME).get()).isEmpty();
        assertThat(vm.savingProperty().get()).isFalse();
        assertThat(api.apps).isEmpty();
    }

    @Test
    void testShowsStatusLatencyAndConnectorOrThatTheServerCannotTest() {
        hasApps(app("hr", "HR"));
        vm.refresh();
        vm.apps().selectedProperty().set(vm.apps().items().getFirst());
        vm.test();
        assertThat(vm.testResultProperty().get()).isEqualTo("This server cannot test apps yet.");
        assertThat(tasks.notices).anyMatch(n -> n.startsWith("warn: Not available on this server"));
        api.testResults.put("hr", new AppTestResult(200, 12, "c0ffee42-1", null));
        vm.test();
        assertThat(vm.testResultProperty().get()).isEqualTo("HTTP 200 in 12 ms via connector c0ffee42");
        assertThat(vm.testOkProperty().get()).isTrue();
        api.testResults.put("hr", new AppTestResult(null, 30001, "c0ffee42-1", "no answer within 30 s"));
        vm.test();
        assertThat(vm.testResultProperty().get()).isEqualTo("Failed: no answer within 30 s (30001 ms)");
        assertThat(vm.testOkProperty().get()).isFalse();
    }

    @Test
    void ownersAreAddedByUpnAndRemoved() {
        UserView carol = user("u3", "carol@corp.example");
        api.users.put(carol.id(), carol);
        hasApps(app("hr", "HR"));
        vm.refresh();
        vm.apps().selectedProperty().set(vm.apps().items().getFirst());
        assertThat(vm.owners().owners().items()).isEmpty();
        vm.owners().candidateProperty().set(" carol@corp.example ");
        vm.owners().add();
        assertThat(api.body("apps.addOwner hr")).isEqualTo(new MemberBody("carol@corp.example"));
        assertThat(vm.owners().owners().items()).containsExactly(carol);
        assertThat(vm.owners().candidateProperty().get()).isEmpty();
        vm.owners().owners().selectedProperty().set(carol);
        vm.owners().remove();
        assertThat(api.calls()).contains("apps.removeOwner hr u3");
        assertThat(vm.owners().owners().items()).isEmpty();
        // Another app: its own owners, not the last app's.
        vm.newApp();
        assertThat(vm.owners().owners().items()).isEmpty();
    }

    @Test
    void theServerFindsUsersAndGroupsToAssign() {
        api.users.put("u3", user("u3", "carol@corp.example"));
        api.users.put("u4", user("u4", "dave@corp.example"));
        api.groups.put("g9", new GroupView("g9", "Car pool", null, null, 0, Instant.EPOCH));
        vm.principalSearchProperty().set(" car ");
        vm.searchPrincipals();
        assertThat(api.args("users.list").getLast()).isEqualTo(new Users.Search("car"));
        assertThat(api.args("groups.list").getLast()).isEqualTo(new Users.Search("car"));
        assertThat(vm.principals()).extracting(Object::toString).containsExactly("User: carol@corp.example", "Group: Car pool");
    }

    @Test
    void aPrincipalIsAssignedAndUnassignedAndAnAccessRequestDecided() {
        hasApps(app("hr", "HR"));
        api.accessRequests.add(new AccessRequestView("r1", "hr", "HR", "u3", "carol@corp.example", "payroll", AccessRequestStatus.PENDING,
                Instant.EPOCH, null, null));
        api.accessRequests.add(new AccessRequestView("r2", "wiki", "Wiki", "u3", "carol@corp.example", null, AccessRequestStatus.PENDING,
                Instant.EPOCH, null, null));
        vm.refresh();
        vm.apps().selectedProperty().set(vm.apps().items().getFirst());
        // Only this app's pending requests.
        assertThat(vm.requests().items()).extracting(AccessRequestView::id).containsExactly("r1");

        vm.assign(new AppsViewModel.Principal("GROUP", "g9", "Car pool"));
        assertThat(api.body("apps.assign hr")).isEqualTo(new AssignmentBody("GROUP", "g9"));
        assertThat(vm.assignments().items()).extracting(AssignmentView::principalId).containsExactly("g9");
        vm.assignments().selectedProperty().set(vm.assignments().items().getFirst());
        vm.unassign();
        assertThat(api.calls()).contains("apps.unassign hr GROUP g9");
        assertThat(vm.assignments().items()).isEmpty();

        vm.requests().selectedProperty().set(vm.requests().items().getFirst());
        vm.decide(true);
        assertThat(api.calls()).contains("accessRequests.approve r1");
        assertThat(vm.requests().items()).isEmpty();
        assertThat(tasks.notices).anyMatch(n -> n.equals("info: Access approved: carol@corp.example → HR"));
    }
}
