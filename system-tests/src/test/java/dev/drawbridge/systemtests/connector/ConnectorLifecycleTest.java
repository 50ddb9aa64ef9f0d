package dev.drawbridge.systemtests.connector;

import dev.drawbridge.adminclient.AdminApiException;
import dev.drawbridge.adminclient.Connectors;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.connector.Connector;
import dev.drawbridge.model.api.ConnectorEvent;
import dev.drawbridge.model.api.ConnectorEventType;
import dev.drawbridge.model.api.ConnectorStatus;
import dev.drawbridge.model.api.ConnectorView;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.time.Await;
import dev.drawbridge.testsupport.time.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Connector status as admins see it: ACTIVE with its tunnels while heartbeating, INACTIVE (last
 * seen kept) once stopped, and removed after 10 days inactive; its tunnels cut, with an event, once the
 * certificate they authenticated with expires.
 */
class ConnectorLifecycleTest {
    @TempDir
    Path dir;

    private static ConnectorView connector(DrawbridgeStack stack, String id) throws Exception {
        return stack.adminApi().connectors().get(id);
    }

    @Test
    void statusFollowsHeartbeatsAndLongInactiveConnectorsAreRemoved() throws Exception {
        MutableClock clock = new MutableClock();
        try (DrawbridgeStack stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")).withClock(clock))) {
            Connector c = stack.startConnector(dir.resolve("c"), 2);
            ConnectorView active = connector(stack, c.connectorId());
            assertThat(active.status()).isEqualTo(ConnectorStatus.ACTIVE);
            assertThat(active.tunnels()).isEqualTo(2);
            assertThat(active.version()).isEqualTo(Connector.VERSION);
            assertThat(stack.adminApi().connectorGroups().list(Paging.DEFAULT).items().getFirst().activeConnectors()).isEqualTo(1);

            c.close();
            Await.until("the connector to turn inactive", Duration.ofSeconds(15), () -> {
                try {
                    return connector(stack, c.connectorId()).status() == ConnectorStatus.INACTIVE;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            ConnectorView inactive = connector(stack, c.connectorId());
            assertThat(inactive.tunnels()).isZero();
            assertThat(inactive.lastSeenAt()).isBefore(clock.instant());

            clock.advance(Duration.ofDays(9));
            assertThat(stack.server().registry().removeLongInactive()).isZero();
            clock.advance(Duration.ofDays(2));
            assertThat(stack.server().registry().removeLongInactive()).isEqualTo(1);
            assertThatThrownBy(() -> connector(stack, c.connectorId())).isInstanceOfSatisfying(AdminApiException.class,
                    e -> assertThat(e.status()).isEqualTo(404));
        }
    }

    @Test
    void tunnelsAreCutWhenTheirCertificateExpiresAndTheConnectorIsRefusedAfterwards() throws Exception {
        MutableClock clock = new MutableClock();
        try (DrawbridgeStack stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")).withClock(clock));
             SampleApp app = SampleApp.start("127.0.0.1", 0)) {
            String url = stack.publish("Sample", "sample", app.baseUri());
            Connector c = stack.startConnector(dir.resolve("c"), 2);
            assertThat(stack.http().newRequest(URI.create(url + "echo/ok")).timeout(20, TimeUnit.SECONDS).send().getStatus()).isEqualTo(200);
            Instant notAfter = connector(stack, c.connectorId()).certificateNotAfter();
            assertThat(stack.server().registry().tunnels()).allSatisfy(t -> assertThat(t.certNotAfter()).isEqualTo(notAfter));

            // The TLS handshake checked the certificate when the tunnels opened; a tunnel can live for days after.
            clock.advance(Duration.between(clock.instant(), notAfter).plusSeconds(1));

            Await.until("the tunnels of the expired certificate to be cut", Duration.ofSeconds(15),
                    () -> stack.server().registry().tunnelCount(c.connectorId()) == 0);
            List<ConnectorEvent> events = stack.adminApi().connectors().events(Paging.DEFAULT,
                    new Connectors.EventFilter(c.connectorId(), ConnectorEventType.CERTIFICATE_EXPIRED, null, null)).items();
            assertThat(events).isNotEmpty();
            assertThat(events.getFirst().detail()).contains(notAfter.toString());
            // Reconnecting with it is refused for good.
            assertThat(c.permanentFailure().get(20, TimeUnit.SECONDS)).contains("expired").contains("register again");
            assertThat(stack.server().registry().tunnelCount(c.connectorId())).isZero();
            assertThat(stack.http().newRequest(URI.create(url + "echo/after")).timeout(20, TimeUnit.SECONDS).send().getStatus())
                    .isEqualTo(502);
        }
    }
}
