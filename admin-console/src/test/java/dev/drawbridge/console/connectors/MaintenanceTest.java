package dev.drawbridge.console.connectors;

import dev.drawbridge.console.FakeAdminApi;
import dev.drawbridge.console.SyncTasks;
import dev.drawbridge.model.api.ConnectorGroupView;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connector group's maintenance mode from the console's view model against the fake admin API: the message checked by
 * the server's rule as typed (nothing sent while invalid), started for the selected group only, its message changed, ended.
 */
class MaintenanceTest {
    final FakeAdminApi api = new FakeAdminApi();
    final SyncTasks tasks = new SyncTasks();
    final ConnectorsViewModel vm = new ConnectorsViewModel(api.session(), tasks, tasks, Clock.systemUTC());

    @BeforeEach
    void groups() {
        api.connectorGroups.put("g1", new ConnectorGroupView("g1", "Default", Instant.EPOCH, 1, 1));
        api.connectorGroups.put("g2", new ConnectorGroupView("g2", "Branch", Instant.EPOCH, 0, 0));
        vm.refresh();
        vm.groups().selectedProperty().set(vm.groups().items().stream().filter(g -> g.id().equals("g2")).findFirst().orElseThrow());
    }

    @Test
    void anInvalidMessageIsShownOnItsFieldAndNothingIsSent() {
        MaintenanceForm f = new MaintenanceForm();
        f.messageProperty().set("line\nbreak");
        assertThat(f.errors().error(MaintenanceForm.MESSAGE).get()).contains("control");
        f.messageProperty().set("x".repeat(501));
        assertThat(f.errors().error(MaintenanceForm.MESSAGE).get()).contains("500");
        assertThat(f.errors().valid().get()).isFalse();
        f.messageProperty().set("Back at 10:00");
        assertThat(f.errors().valid().get()).isTrue();
        f.messageProperty().set("");
        assertThat(f.errors().valid().get()).as("no message is fine").isTrue();
    }

    @Test
    void startedForTheSelectedGroupChangedAndEnded() {
        AtomicInteger closed = new AtomicInteger();
        MaintenanceForm f = new MaintenanceForm();
        f.messageProperty().set("  Moving racks  ");
        vm.startMaintenance(f, closed::incrementAndGet);
        assertThat(closed.get()).isOne();
        assertThat(api.calls()).contains("connectorGroups.startMaintenance g2");
        ConnectorGroupView branch = vm.groups().items().stream().filter(g -> g.id().equals("g2")).findFirst().orElseThrow();
        assertThat(branch.maintenance().message()).isEqualTo("Moving racks");
        assertThat(vm.groups().items().stream().filter(g -> g.id().equals("g1")).findFirst().orElseThrow().maintenance()).isNull();

        vm.groups().selectedProperty().set(branch);
        f.messageProperty().set("Back at noon");
        vm.startMaintenance(f, closed::incrementAndGet);
        ConnectorGroupView changed = vm.groups().items().stream().filter(g -> g.id().equals("g2")).findFirst().orElseThrow();
        assertThat(changed.maintenance().message()).isEqualTo("Back at noon");
        assertThat(changed.maintenance().since()).isEqualTo(branch.maintenance().since());

        vm.groups().selectedProperty().set(changed);
        vm.endMaintenance();
        assertThat(api.calls()).contains("connectorGroups.endMaintenance g2");
        assertThat(vm.groups().items().stream().filter(g -> g.id().equals("g2")).findFirst().orElseThrow().maintenance()).isNull();
    }
}
