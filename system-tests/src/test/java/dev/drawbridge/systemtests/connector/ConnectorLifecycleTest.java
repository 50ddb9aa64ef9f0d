package dev.drawbridge.systemtests.connector;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.connector.Connector;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.time.Await;
import dev.drawbridge.testsupport.time.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connector status as admins see it: ACTIVE with its tunnels while heartbeating, INACTIVE (last
 * seen kept) once stopped, and removed after 10 days inactive.
 */
class ConnectorLifecycleTest {
    @TempDir
    Path dir;

    private static JsonNode connector(DrawbridgeStack stack, String id) throws Exception {
        return stack.api("GET", "connectors/" + id, null).body();
    }

    @Test
    void statusFollowsHeartbeatsAndLongInactiveConnectorsAreRemoved() throws Exception {
        MutableClock clock = new MutableClock();
        try (DrawbridgeStack stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")).withClock(clock))) {
            Connector c = stack.startConnector(dir.resolve("c"), 2);
            JsonNode active = connector(stack, c.connectorId());
            assertThat(active.path("status").asText()).isEqualTo("ACTIVE");
            assertThat(active.path("tunnels").asInt()).isEqualTo(2);
            assertThat(active.path("version").asText()).isEqualTo(Connector.VERSION);
            assertThat(stack.api("GET", "connector-groups", null).body().path("items").get(0).path("activeConnectors").asInt()).isEqualTo(1);

            c.close();
            Await.until("the connector to turn inactive", Duration.ofSeconds(15), () -> {
                try {
                    return connector(stack, c.connectorId()).path("status").asText().equals("INACTIVE");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            JsonNode inactive = connector(stack, c.connectorId());
            assertThat(inactive.path("tunnels").asInt()).isZero();
            assertThat(Instant.parse(inactive.path("lastSeenAt").asText())).isBefore(clock.instant());

            clock.advance(Duration.ofDays(9));
            assertThat(stack.server().registry().removeLongInactive()).isZero();
            clock.advance(Duration.ofDays(2));
            assertThat(stack.server().registry().removeLongInactive()).isEqualTo(1);
            assertThat(stack.api("GET", "connectors/" + c.connectorId(), null).status()).isEqualTo(404);
        }
    }
}
