package dev.drawbridge.console;

import dev.drawbridge.console.connectors.ConnectorsView;
import dev.drawbridge.console.connectors.ConnectorsViewModel;
import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.console.shell.Tables;
import dev.drawbridge.model.api.ConnectorGroupView;
import dev.drawbridge.model.api.ConnectorStatus;
import dev.drawbridge.model.api.ConnectorView;
import dev.drawbridge.model.update.UpdateState;
import javafx.scene.Parent;
import javafx.scene.Scene;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static dev.drawbridge.console.ConsoleRobot.column;
import static dev.drawbridge.console.ConsoleRobot.interact;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Connectors table in a real window (TestFX; headless Monocle), over the fake admin API, at a fixed time: each connector's
 * Version and Certificate until as reported; a connector whose certificate passed its end shows "Expired – register again"
 * as its status and the expiry as its last error (a revoked one stays "Revoked"); a last update error is one line.
 */
class ConnectorsTableRobotTest extends RobotTest {
    private static final Instant NOW = Instant.parse("2027-01-10T12:00:00Z");
    private static final Instant VALID = Instant.parse("2027-06-01T00:00:00Z"), PAST = Instant.parse("2027-01-02T03:04:05Z");

    @AfterEach
    void hide() throws Exception {
        interact(() -> stage.close());
    }

    private static ConnectorView connector(String id, String host, String version, ConnectorStatus status, Instant notAfter, String error) {
        return new ConnectorView(id, "g1", "Default", host, version, status, status == ConnectorStatus.ACTIVE ? 2 : 0, Instant.EPOCH,
                NOW.minusSeconds(3600), notAfter, UpdateState.IDLE, error);
    }

    @Test
    void versionCertificateExpiryAndLastErrorPerConnector() throws Exception {
        api.connectorGroups.put("g1", new ConnectorGroupView("g1", "Default", Instant.EPOCH, 4, 1));
        api.connectors.put("c1", connector("c1", "conn-a.corp", "1.4.0", ConnectorStatus.ACTIVE, VALID, ""));
        api.connectors.put("c2", connector("c2", "conn-b.corp", "1.3.2", ConnectorStatus.INACTIVE, PAST, ""));
        api.connectors.put("c3", connector("c3", "conn-c.corp", "1.3.0", ConnectorStatus.REVOKED, PAST, ""));
        api.connectors.put("c4", connector("c4", "conn-d.corp", "1.2.0", ConnectorStatus.INACTIVE, VALID, "rolled back:\nno tunnels"));
        // The boundary: a certificate whose end is now has expired (the server refuses it from that instant).
        api.connectors.put("c5", connector("c5", "conn-e.corp", "1.4.1", ConnectorStatus.INACTIVE, NOW, null));
        ConnectorsViewModel vm = new ConnectorsViewModel(api.session(Permissions.ALL), tasks, tasks, Clock.fixed(NOW, ZoneOffset.UTC));
        stage = FxToolkit.setupStage(s -> {
            s.setScene(new Scene((Parent) new ConnectorsView(vm, Permissions.ALL).root(), 1280, 800));
            s.show();
        });
        interact(vm::refresh);

        assertThat(column("#connectors-table", "Host name")).containsExactly("conn-a.corp", "conn-b.corp", "conn-c.corp", "conn-d.corp",
                "conn-e.corp");
        assertThat(column("#connectors-table", "Version")).containsExactly("1.4.0", "1.3.2", "1.3.0", "1.2.0", "1.4.1");
        assertThat(column("#connectors-table", "Certificate until")).containsExactly(Tables.time(VALID), Tables.time(PAST),
                Tables.time(PAST), Tables.time(VALID), Tables.time(NOW));
        assertThat(column("#connectors-table", "Status")).containsExactly("Active", "Expired – register again", "Revoked", "Inactive",
                "Expired – register again");
        assertThat(column("#connectors-table", "Last error")).containsExactly("",
                "certificate expired " + Tables.time(PAST) + ": the server refuses it; register the connector again with a new token",
                "", "rolled back: no tunnels",
                "certificate expired " + Tables.time(NOW) + ": the server refuses it; register the connector again with a new token");
    }
}
