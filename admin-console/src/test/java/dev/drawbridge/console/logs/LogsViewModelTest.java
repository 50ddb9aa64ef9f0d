package dev.drawbridge.console.logs;
import dev.drawbridge.adminclient.Connectors;
import dev.drawbridge.adminclient.Logs;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.console.FakeAdminApi;
import dev.drawbridge.console.SyncTasks;
import dev.drawbridge.console.shell.Tables;
import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.AuditLogEntry;
import dev.drawbridge.model.api.ConnectorEvent;
import dev.drawbridge.model.api.ConnectorEventType;
import dev.drawbridge.model.api.ConnectorStatus;
import dev.drawbridge.model.api.ConnectorView;
import dev.drawbridge.model.api.SignInEvent;
import dev.drawbridge.model.api.SignInLogEntry;
import dev.drawbridge.model.api.SignInResult;
import dev.drawbridge.model.update.UpdateState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LogsViewModelTest {
    final FakeAdminApi api = new FakeAdminApi();
    final SyncTasks tasks = new SyncTasks();
    final LogsViewModel vm = new LogsViewModel(api.session(), tasks, tasks);

    static SignInLogEntry signIn(long id, String at, String upn) {
        return new SignInLogEntry(id, Instant.parse(at), SignInEvent.SIGN_IN, SignInResult.SUCCESS, null, "u1", upn, null, null, "203.0.113.9",
                AccessPolicy.ClientType.BROWSER,
                false, null);
    }

    @Test
    void filtersBecomeTheQueryWithTheAppNameTurnedIntoItsId(@TempDir Path dir) throws Exception {
        SignInLogEntry bob = new SignInLogEntry(7, Instant.parse("2026-11-25T10:00:00Z"), SignInEvent.ACCESS, SignInResult.DENIED, "not assigned",
                "u2", "bob@corp.example", "a1", "Payroll, EU", "203.0.113.9", AccessPolicy.ClientType.BROWSER, false, null);
        api.apps.put("a1", new AppView("a1", "Payroll, EU", "https://payroll.apps.example.com/", "http://payroll.corp.local/", "g1",
                "Default", null, false, null, null, Instant.EPOCH, Instant.EPOCH));
        vm.poll();
        api.signIns.add(signIn(8, "2026-11-25T11:00:00Z", "ann@corp.example"));
        api.signIns.add(bob);
        assertThat(vm.appNames()).containsExactly("Payroll, EU");
        assertThat(vm.signIns().emptyText().get()).isEqualTo("Nothing in the sign-in log yet.");
        vm.signIns().filter("upn").set(" bob@corp.example ");
        assertThat(vm.signIns().emptyText().get()).isEqualTo("Nothing matches these filters.");
        vm.signIns().filter("app").set("Payroll, EU");
        vm.signIns().filter("result").set("DENIED");
        vm.search();
        assertThat(api.args("logs.signIns")).containsExactly(new Paging(0, 500),
                new Logs.SignInFilter("bob@corp.example", "a1", SignInResult.DENIED, null, null, null));
        assertThat(vm.signIns().rows().items()).containsExactly(bob);

        Path csv = dir.resolve("sign-ins.csv");
        vm.export(csv);
        assertThat(Files.readAllLines(csv)).hasSize(2);
        assertThat(Files.readAllLines(csv).get(1)).contains("bob@corp.example,\"Payroll, EU\",ACCESS,DENIED,not assigned,203.0.113.9");
    }

    /** The table shows words and local time; the CSV keeps the API's codes and ISO-8601 instants, for machines. */
    @Test
    void theTableShowsWordsAndTheCsvKeepsTheCodes(@TempDir Path dir) throws Exception {
        SignInLogEntry e = new SignInLogEntry(7, Instant.parse("2026-11-25T10:00:00Z"), SignInEvent.ADMIN_SIGN_IN, SignInResult.INTERRUPTED,
                "MFA required", "u2", "bob@corp.example", "admin", "Admin API", "203.0.113.9", AccessPolicy.ClientType.NATIVE, true, null);
        api.signIns.add(e);
        vm.poll();
        Map<String, Object> shown = new LinkedHashMap<>();
        vm.signIns().columns().forEach(c -> shown.put(c.title(), c.shown().apply(e)));
        assertThat(shown).containsEntry("Event", "Admin sign-in").containsEntry("Result", "Interrupted")
                .containsEntry("Client", "Native app").containsEntry("MFA", "yes")
                .containsEntry("Time", Tables.time(e.at()));

        Path csv = dir.resolve("sign-ins.csv");
        vm.export(csv);
        assertThat(Files.readAllLines(csv).get(1)).isEqualTo(
                "2026-11-25T10:00:00Z,bob@corp.example,Admin API,ADMIN_SIGN_IN,INTERRUPTED,MFA required,203.0.113.9,NATIVE,true,");
    }

    /** The audit table names the action in words; its CSV column keeps the action's code. */
    @Test
    void theAuditTableNamesActionsInWordsAndItsCsvColumnKeepsTheCode() {
        AuditLogEntry e = new AuditLogEntry(3, Instant.parse("2026-11-25T10:00:00Z"), "admin", "oauth-client.delete", "oauth-client",
                "com.example.cli", "{}", null);
        Map<String, Object> shown = new LinkedHashMap<>(), csv = new LinkedHashMap<>();
        vm.audit().columns().forEach(c -> {
            shown.put(c.title(), c.shown().apply(e));
            csv.put(c.title(), c.csv().apply(e));
        });
        assertThat(shown).containsEntry("Action", "Native client deleted");
        assertThat(csv).containsEntry("Action", "oauth-client.delete");
    }

    @Test
    void aLogTheServerLacksSaysSoOnce() {
        api.fail("connectors.events", 404, "about:blank", "no such endpoint");
        vm.activeTabProperty().set(2);
        vm.poll();
        assertThat(vm.events().rows().unavailableProperty().get()).contains("connector events").contains("404");
        vm.search();
        assertThat(tasks.notices.stream().filter(n -> n.startsWith("warn:")).count()).isEqualTo(1);
    }

    @Test
    void loadMoreAppendsTheNextPageAndStopsFollowing() {
        for (int i = 0; i < 501; i++) {
            api.signIns.add(signIn(501 - i, Instant.parse("2026-11-25T10:00:00Z").minusSeconds(i).toString(), "ann@corp.example"));
        }
        SignInLogEntry first = api.signIns.getFirst(), older = api.signIns.getLast();
        vm.poll();
        assertThat(vm.signIns().pages().moreProperty().get()).isTrue();
        assertThat(vm.signIns().pages().summaryProperty().get()).isEqualTo("500 of 501");
        vm.more();
        assertThat(api.args("logs.signIns").getFirst()).isEqualTo(new Paging(500, 500));
        assertThat(vm.signIns().rows().items()).hasSize(501).startsWith(first).endsWith(older);
        assertThat(vm.signIns().followProperty().get()).isFalse();
        vm.poll();
        assertThat(vm.signIns().rows().items()).hasSize(501);
    }

    @Test
    void theConnectorFilterTakesAConnectorsNameAndSendsItsId() {
        Instant t = Instant.parse("2026-11-25T10:00:00Z");
        for (ConnectorView c : List.of(new ConnectorView("c1-aaaaaaaa", "g1", "Default", "vm", "1.0", ConnectorStatus.ACTIVE, 2, t, t, t, UpdateState.IDLE, ""),
                new ConnectorView("c2-bbbbbbbb", "g1", "Default", "vm", "1.0", ConnectorStatus.INACTIVE, 0, t, t, t, UpdateState.IDLE, ""),
                new ConnectorView("c3", "g2", "Branch office", "edge", "1.0", ConnectorStatus.ACTIVE, 2, t, t, t, UpdateState.IDLE, ""))) {
            api.connectors.put(c.id(), c);
        }
        ConnectorEvent moved = new ConnectorEvent(2, t, "c2-bbbbbbbb", "vm", ConnectorEventType.MOVED, "to Default");
        api.connectorEvents.add(new ConnectorEvent(3, t, "c1-aaaaaaaa", "vm", ConnectorEventType.MOVED, "to Default"));
        api.connectorEvents.add(moved);
        api.connectorEvents.add(new ConnectorEvent(1, t, "c2-bbbbbbbb", "vm", ConnectorEventType.CONNECTED, null));
        vm.activeTabProperty().set(2);
        assertThat(vm.connectorNames()).containsExactly("edge (Branch office)", "vm (Default) c1-aaaaa", "vm (Default) c2-bbbbb");
        vm.events().filter("connectorId").set("vm (Default) c2-bbbbb");
        vm.events().filter("type").set("MOVED");
        vm.search();
        assertThat(api.args("connectors.events")).containsExactly(new Paging(0, 500),
                new Connectors.EventFilter("c2-bbbbbbbb", ConnectorEventType.MOVED, null, null));
        assertThat(vm.events().rows().items()).containsExactly(moved);
    }
}
