package dev.drawbridge.console.connectors;

import dev.drawbridge.console.FakeAdminApi;
import dev.drawbridge.console.SyncTasks;
import dev.drawbridge.model.api.NameBody;
import dev.drawbridge.model.api.Problem;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectorGroupFormTest {
    final FakeAdminApi api = new FakeAdminApi();
    final SyncTasks tasks = new SyncTasks();
    final ConnectorsViewModel vm = new ConnectorsViewModel(api.session(), tasks, tasks, Clock.systemUTC());
    final AtomicInteger closed = new AtomicInteger();

    @Test
    void aNewGroupNeedsANameAndKeepsTheDialogOpenOnTheServersRefusal() {
        ConnectorGroupForm f = new ConnectorGroupForm();
        assertThat(f.errors().error(ConnectorGroupForm.NAME).get()).isEmpty();
        assertThat(f.errors().attempt()).isFalse();
        assertThat(f.errors().error(ConnectorGroupForm.NAME).get()).startsWith("Name is required");
        f.nameProperty().set(" Branch office ");
        api.fail("connectorGroups.create", 409, "about:blank", "a connector group named Branch office exists");
        vm.createGroup(f, closed::incrementAndGet);
        assertThat(closed.get()).isZero();
        assertThat(f.errors().other().get()).contains("Branch office exists");
        assertThat(api.body("connectorGroups.create")).isEqualTo(new NameBody("Branch office", null, null));

        api.recover("connectorGroups.create");
        vm.createGroup(f, closed::incrementAndGet);
        assertThat(closed.get()).isEqualTo(1);
        assertThat(tasks.notices).contains("info: Connector group created: Branch office");
        // The lists reload: the new group is shown.
        assertThat(vm.groups().items()).extracting(g -> g.name()).containsExactly("Branch office");
    }

    @Test
    void theServersNameErrorLandsOnTheField() {
        ConnectorGroupForm f = new ConnectorGroupForm();
        f.nameProperty().set("x".repeat(150));
        api.fail("connectorGroups.create", 400, "about:blank", "invalid", new Problem.FieldError("name", "name is reserved"));
        vm.createGroup(f, closed::incrementAndGet);
        assertThat(f.errors().error(ConnectorGroupForm.NAME).get()).isEqualTo("name is reserved");
        assertThat(f.errors().other().get()).isEmpty();
    }
}
