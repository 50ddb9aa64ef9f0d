package dev.drawbridge.console.connectors;

import dev.drawbridge.console.FakeApi;
import dev.drawbridge.console.SyncTasks;
import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.console.session.Session;
import dev.drawbridge.model.api.ConnectorGroupView;
import dev.drawbridge.model.api.Problem;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectorGroupFormTest {
    final FakeApi api = new FakeApi();
    final SyncTasks tasks = new SyncTasks();
    final ConnectorsViewModel vm = new ConnectorsViewModel(new Session(api, "admin", List.of(), Permissions.ALL, Optional.empty()), tasks,
            tasks, Clock.systemUTC());
    final AtomicInteger closed = new AtomicInteger();

    @Test
    void aNewGroupNeedsANameAndKeepsTheDialogOpenOnTheServersRefusal() {
        ConnectorGroupForm f = new ConnectorGroupForm();
        assertThat(f.errors().error(ConnectorGroupForm.NAME).get()).isEmpty();
        assertThat(f.errors().attempt()).isFalse();
        assertThat(f.errors().error(ConnectorGroupForm.NAME).get()).startsWith("Name is required");
        f.nameProperty().set(" Branch office ");
        api.fail("POST connector-groups", 409, "about:blank", "a connector group named Branch office exists");
        vm.createGroup(f, closed::incrementAndGet);
        assertThat(closed.get()).isZero();
        assertThat(f.errors().other().get()).contains("Branch office exists");
        assertThat(api.bodies.getLast()).isEqualTo(Map.of("name", "Branch office"));

        api.answer("POST connector-groups", new ConnectorGroupView("g2", "Branch office", java.time.Instant.EPOCH, 0, 0));
        vm.createGroup(f, closed::incrementAndGet);
        assertThat(closed.get()).isEqualTo(1);
        assertThat(tasks.notices).contains("info: Connector group created: Branch office");
    }

    @Test
    void theServersNameErrorLandsOnTheField() {
        ConnectorGroupForm f = new ConnectorGroupForm();
        f.nameProperty().set("x".repeat(150));
        api.fail("POST connector-groups", 400, "about:blank", "invalid", new Problem.FieldError("name", "name is reserved"));
        vm.createGroup(f, closed::incrementAndGet);
        assertThat(f.errors().error(ConnectorGroupForm.NAME).get()).isEqualTo("name is reserved");
        assertThat(f.errors().other().get()).isEmpty();
    }
}
