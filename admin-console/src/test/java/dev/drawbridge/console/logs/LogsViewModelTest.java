package dev.drawbridge.console.logs;

import dev.drawbridge.console.FakeApi;
import dev.drawbridge.console.SyncTasks;
import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.console.session.Session;
import dev.drawbridge.model.api.ConnectorStatus;
import dev.drawbridge.model.api.ConnectorView;
import dev.drawbridge.model.api.SignInLogEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class LogsViewModelTest {
    final FakeApi api = new FakeApi();
    final SyncTasks tasks = new SyncTasks();
    final LogsViewModel vm = new LogsViewModel(new Session(api, "admin", List.of(), Permissions.ALL, Optional.empty()), tasks, tasks);

    static Map<String, Object> page(List<?> items) {
        return Map.of("items", items, "offset", 0, "limit", 500, "total", items.size());
    }

    @Test
    void filtersBecomeTheQueryWithTheAppNameTurnedIntoItsId(@TempDir Path dir) throws Exception {
        SignInLogEntry bob = new SignInLogEntry(7, Instant.parse("2026-11-25T10:00:00Z"), "ACCESS", "DENIED", "not assigned",
                "u2", "bob@corp.example", "a1", "Payroll, EU", "203.0.113.9", "BROWSER", false, null);
        api.answer("GET apps?limit=1000", page(List.of(Map.of("id", "a1", "name", "Payroll, EU"))))
                .answer("GET sign-in-logs?limit=500&offset=0", page(List.of()))
                .answer("GET sign-in-logs?limit=500&upn=bob%40corp.example&app=a1&result=DENIED&offset=0", page(List.of(bob)));
        vm.poll();
        assertThat(vm.appNames()).containsExactly("Payroll, EU");
        assertThat(vm.signIns().emptyText().get()).isEqualTo("Nothing in the sign-in log yet.");
        vm.signIns().filter("upn").set(" bob@corp.example ");
        assertThat(vm.signIns().emptyText().get()).isEqualTo("Nothing matches these filters.");
        vm.signIns().filter("app").set("Payroll, EU");
        vm.signIns().filter("result").set("DENIED");
        vm.search();
        assertThat(vm.signIns().rows().items()).containsExactly(bob);

        Path csv = dir.resolve("sign-ins.csv");
        vm.export(csv);
        assertThat(Files.readAllLines(csv)).hasSize(2);
        assertThat(Files.readAllLines(csv).get(1)).contains("bob@corp.example,\"Payroll, EU\",ACCESS,DENIED,not assigned,203.0.113.9");
    }

    /** The table shows words and local time; the CSV keeps the API's codes and ISO-8601 instants, for machines. */
    @Test
    void theTableShowsWordsAndTheCsvKeepsTheCodes(@TempDir Path dir) throws Exception {
        SignInLogEntry e = new SignInLogEntry(7, Instant.parse("2026-11-25T10:00:00Z"), "ADMIN_SIGN_IN", "INTERRUPTED",
                "MFA required", "u2", "bob@corp.example", "admin", "Admin API", "203.0.113.9", "NATIVE", true, null);
        api.answer("GET apps?limit=1000", page(List.of())).answer("GET sign-in-logs?limit=500&offset=0", page(List.of(e)));
        vm.poll();
        Map<String, Object> shown = new java.util.LinkedHashMap<>();
        vm.signIns().columns().forEach(c -> shown.put(c.title(), c.shown().apply(e)));
        assertThat(shown).containsEntry("Event", "Admin sign-in").containsEntry("Result", "Interrupted")
                .containsEntry("Client", "Native app").containsEntry("MFA", "yes")
                .containsEntry("Time", dev.drawbridge.console.shell.Tables.time(e.at()));

        Path csv = dir.resolve("sign-ins.csv");
        vm.export(csv);
        assertThat(Files.readAllLines(csv).get(1)).isEqualTo(
                "2026-11-25T10:00:00Z,bob@corp.example,Admin API,ADMIN_SIGN_IN,INTERRUPTED,MFA required,203.0.113.9,NATIVE,true,");
    }

    @Test
    void aLogTheServerLacksSaysSoOnce() {
        api.answer("GET apps?limit=1000", page(List.of())).answer("GET sign-in-logs?limit=500&offset=0", page(List.of()));
        vm.activeTabProperty().set(2);
        vm.poll();
        assertThat(vm.events().rows().unavailableProperty().get()).contains("connector events").contains("404");
        vm.search();
        assertThat(tasks.notices.stream().filter(n -> n.startsWith("warn:")).count()).isEqualTo(1);
    }

    @Test
    void loadMoreAppendsTheNextPageAndStopsFollowing() {
        SignInLogEntry first = new SignInLogEntry(2, Instant.parse("2026-11-25T10:00:00Z"), "SIGN_IN", "SUCCESS", null,
                "u1", "ann@corp.example", null, null, "203.0.113.9", "BROWSER", false, null);
        SignInLogEntry older = new SignInLogEntry(1, Instant.parse("2026-11-25T09:00:00Z"), "SIGN_IN", "SUCCESS", null,
                "u1", "ann@corp.example", null, null, "203.0.113.9", "BROWSER", false, null);
        api.answer("GET apps?limit=1000", page(List.of()))
                .answer("GET sign-in-logs?limit=500&offset=0", Map.of("items", List.of(first), "offset", 0, "limit", 500, "total", 501))
                .answer("GET sign-in-logs?limit=500&offset=1", Map.of("items", List.of(older), "offset", 1, "limit", 500, "total", 501));
        vm.poll();
        assertThat(vm.signIns().pages().moreProperty().get()).isTrue();
        assertThat(vm.signIns().pages().summaryProperty().get()).isEqualTo("1 of 501");
        vm.more();
        assertThat(vm.signIns().rows().items()).containsExactly(first, older);
        assertThat(vm.signIns().followProperty().get()).isFalse();
        vm.poll();
        assertThat(vm.signIns().rows().items()).hasSize(2);
    }

    @Test
    void theConnectorFilterTakesAConnectorsNameAndSendsItsId() {
        Instant t = Instant.parse("2026-11-25T10:00:00Z");
        api.answer("GET apps?limit=1000", page(List.of()))
                .answer("GET connectors?limit=1000", page(List.of(
                        new ConnectorView("c1-aaaaaaaa", "g1", "Default", "vm", "1.0", ConnectorStatus.ACTIVE, 2, t, t, t),
                        new ConnectorView("c2-bbbbbbbb", "g1", "Default", "vm", "1.0", ConnectorStatus.INACTIVE, 0, t, t, t),
                        new ConnectorView("c3", "g2", "Branch office", "edge", "1.0", ConnectorStatus.ACTIVE, 2, t, t, t))))
                .answer("GET connector-events?limit=500&offset=0", page(List.of()))
                .answer("GET connector-events?limit=500&connectorId=c2-bbbbbbbb&type=MOVED&offset=0", page(List.of()));
        vm.activeTabProperty().set(2);
        assertThat(vm.connectorNames()).containsExactly("edge (Branch office)", "vm (Default) c1-aaaaa", "vm (Default) c2-bbbbb");
        vm.events().filter("connectorId").set("vm (Default) c2-bbbbb");
        vm.events().filter("type").set("MOVED");
        vm.search();
        assertThat(api.calls).contains("GET connector-events?limit=500&connectorId=c2-bbbbbbbb&type=MOVED&offset=0");
    }
}
