package dev.drawbridge.proxy.tunnel;

import dev.drawbridge.model.api.ConnectorEvent;
import dev.drawbridge.model.api.ConnectorEventType;
import dev.drawbridge.proxy.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** Connector events written as typed {@link ConnectorEventRecord}s come back, newest first, as the admin API shows them. */
class ConnectorEventsTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    @TempDir
    Path dataDir;
    private Database db;
    private ConnectorEvents events;

    @BeforeEach
    void open() {
        db = Database.h2(dataDir);
        events = new ConnectorEvents(db, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    @Test
    void eventsAreWrittenAndReadBackNewestFirstWithTheirTypeByName() {
        events.write(new ConnectorEventRecord("c-1", ConnectorEventType.REGISTERED, "host a, version 1"));
        events.write(new ConnectorEventRecord("c-2", ConnectorEventType.CONNECTED, "first tunnel up"));
        events.write(new ConnectorEventRecord("c-1", ConnectorEventType.REVOKED, "x".repeat(1200)));

        var all = new ConnectorEvents.Query(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0, 10);
        assertThat(events.query(all, id -> id.equals("c-1") ? Optional.of("host-a") : Optional.empty()))
                .extracting(ConnectorEvent::time, ConnectorEvent::connectorId, ConnectorEvent::connectorName, ConnectorEvent::type,
                        e -> e.detail().length())
                .containsExactly(tuple(NOW, "c-1", "host-a", ConnectorEventType.REVOKED, 1000), tuple(NOW, "c-2", null, ConnectorEventType.CONNECTED, 15),
                        tuple(NOW, "c-1", "host-a", ConnectorEventType.REGISTERED, 17));
        assertThat(events.count(new ConnectorEvents.Query(Optional.of("c-1"), Optional.of("revoked"), Optional.empty(), Optional.empty(),
                0, 10))).isEqualTo(1);
    }

    @Test
    void anEventNeedsItsConnectorTypeAndDetail() {
        assertThatThrownBy(() -> new ConnectorEventRecord(null, ConnectorEventType.MOVED, "d")).hasMessage("connectorId");
        assertThatThrownBy(() -> new ConnectorEventRecord("c-1", null, "d")).hasMessage("type");
        assertThatThrownBy(() -> new ConnectorEventRecord("c-1", ConnectorEventType.MOVED, null)).hasMessage("detail");
    }
}
