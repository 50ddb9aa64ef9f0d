package dev.drawbridge.console.apps;

import dev.drawbridge.console.FakeApi;
import dev.drawbridge.console.SyncTasks;
import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.console.session.Session;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.Problem;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class AppsViewModelTest {
    final FakeApi api = new FakeApi();
    final SyncTasks tasks = new SyncTasks();
    final AppsViewModel vm = new AppsViewModel(new Session(api, "admin", List.of(), Permissions.ALL, Optional.empty()), tasks, tasks);

    static AppView app(String id, String name) {
        return new AppView(id, name, "https://" + id + ".apps.example.com/", "http://" + id + ".corp.local/", "g1", "Default",
                BackendTimeout.DEFAULT, true, PreAuthentication.DIRECTORY, AccessSettings.DEFAULTS, Instant.EPOCH, Instant.EPOCH);
    }

    @Test
    void publishesTheEditorsAppAndSelectsIt() {
        api.answer("POST apps", app("hr", "HR")).answer("GET apps/hr/assignments", List.of())
                .answer("GET access-requests?status=PENDING", List.of()).answer("GET apps/hr/owners", List.of());
        vm.newApp();
        vm.editor().nameProperty().set("HR");
        vm.editor().externalUrlProperty().set("https://hr.apps.example.com/");
        vm.editor().internalUrlProperty().set("http://hr.corp.local/");
        vm.save();
        assertThat(api.calls).containsExactly("POST apps", "GET apps/hr/assignments", "GET access-requests?status=PENDING",
                "GET apps/hr/icon", "GET apps/hr/owners");
        assertThat(((AppSpec) api.bodies.getFirst()).externalUrl()).isEqualTo("https://hr.apps.example.com/");
        assertThat(vm.apps().selected().id()).isEqualTo("hr");
        assertThat(vm.editor().isNew()).isFalse();
        assertThat(tasks.notices).anyMatch(n -> n.startsWith("info: App published"));
    }

    @Test
    void aRefreshKeepsTheSelectionAndTheEditor() {
        api.answer("GET apps?limit=1000", Map.of("items", List.of(app("hr", "HR"), app("wiki", "Wiki")), "offset", 0, "limit", 1000, "total", 2))
                .answer("GET apps/wiki/assignments", List.of());
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
        assertThat(api.calls).doesNotContain("POST apps");
        assertThat(vm.editor().error(AppEditor.NAME).get()).isEqualTo("Name is required.");
        assertThat(vm.editor().error(AppEditor.EXTERNAL).get()).startsWith("External URL is required");
        // Starting another new app forgets the tried save.
        vm.newApp();
        assertThat(vm.editor().error(AppEditor.NAME).get()).isEmpty();
    }

    @Test
    void theServersFieldErrorsShowOnTheEditor() {
        api.fail("POST apps", 400, "about:blank", "invalid app",
                new Problem.FieldError("externalUrl", "another app already uses https://hr.apps.example.com/"));
        vm.newApp();
        vm.editor().nameProperty().set("HR");
        vm.editor().externalUrlProperty().set("https://hr.apps.example.com/");
        vm.editor().internalUrlProperty().set("http://hr.corp.local/");
        vm.save();
        assertThat(vm.editor().error(AppEditor.EXTERNAL).get()).startsWith("another app already uses");
        assertThat(vm.savingProperty().get()).isFalse();
    }

    @Test
    void testShowsStatusLatencyAndConnectorOrThatTheServerCannotTest() {
        api.answer("GET apps?limit=1000", Map.of("items", List.of(app("hr", "HR")), "offset", 0, "limit", 1000, "total", 1))
                .answer("GET apps/hr/assignments", List.of());
        vm.refresh();
        vm.apps().selectedProperty().set(vm.apps().items().getFirst());
        vm.test();
        assertThat(vm.testResultProperty().get()).isEqualTo("This server cannot test apps yet.");
        java.util.Map<String, Object> ok = new java.util.HashMap<>(Map.of("status", 200, "latencyMs", 12, "connectorId", "c0ffee42-1"));
        ok.put("error", null);
        api.answer("POST apps/hr/test", ok);
        vm.test();
        assertThat(vm.testResultProperty().get()).isEqualTo("HTTP 200 in 12 ms via connector c0ffee42");
        assertThat(vm.testOkProperty().get()).isTrue();
    }

    @Test
    void ownersAreAddedByUpnAndRemoved() {
        var carol = new dev.drawbridge.model.api.UserView("u3", "carol@corp.example", "Carol", null, null, true, true, false, null,
                List.of(), Instant.EPOCH);
        api.answer("GET apps?limit=1000", Map.of("items", List.of(app("hr", "HR")), "offset", 0, "limit", 1000, "total", 1))
                .answer("GET apps/hr/assignments", List.of()).answer("GET apps/hr/owners", List.of())
                .answer("POST apps/hr/owners", List.of(carol)).answer("DELETE apps/hr/owners/u3", null);
        vm.refresh();
        vm.apps().selectedProperty().set(vm.apps().items().getFirst());
        assertThat(vm.owners().owners().items()).isEmpty();
        vm.owners().candidateProperty().set(" carol@corp.example ");
        vm.owners().add();
        assertThat(api.bodies.get(api.calls.indexOf("POST apps/hr/owners"))).isEqualTo(Map.of("user", "carol@corp.example"));
        assertThat(vm.owners().owners().items()).containsExactly(carol);
        assertThat(vm.owners().candidateProperty().get()).isEmpty();
        vm.owners().owners().selectedProperty().set(carol);
        vm.owners().remove();
        assertThat(api.calls).contains("DELETE apps/hr/owners/u3");
        assertThat(vm.owners().owners().items()).isEmpty();
        // Another app: its own owners, not the last app's.
        vm.newApp();
        assertThat(vm.owners().owners().items()).isEmpty();
    }

    @Test
    void theServerFindsUsersAndGroupsToAssign() {
        var carol = new dev.drawbridge.model.api.UserView("u3", "carol@corp.example", "Carol", null, null, true, true, false, null,
                List.of(), Instant.EPOCH);
        api.answer("GET users?limit=1000&search=car", Map.of("items", List.of(carol), "offset", 0, "limit", 1000, "total", 1))
                .answer("GET groups?limit=1000&search=car", Map.of("items", List.of(Map.of("id", "g9", "name", "Car pool", "members", 0)),
                        "offset", 0, "limit", 1000, "total", 1));
        vm.principalSearchProperty().set("car");
        vm.searchPrincipals();
        assertThat(vm.principals()).extracting(Object::toString).containsExactly("User: carol@corp.example", "Group: Car pool");
    }
}
