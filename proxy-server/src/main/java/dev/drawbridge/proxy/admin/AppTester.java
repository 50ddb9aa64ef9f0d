package dev.drawbridge.proxy.admin;

import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.ResetCode;
import dev.drawbridge.model.tunnel.ResponseHead;
import dev.drawbridge.model.tunnel.TunnelStream;
import dev.drawbridge.proxy.tunnel.ConnectorRegistry;
import dev.drawbridge.proxy.tunnel.TunnelConnection;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * "Test" in the console: a GET of the app's internal URL carried by a connector of its group, exactly as user
 * traffic is, answering the status and the time to the response head. The body is not kept.
 */
public final class AppTester {
    static final Duration TIMEOUT = Duration.ofSeconds(15);
    private final ConnectorRegistry registry;

    public AppTester(ConnectorRegistry registry) {
        this.registry = registry;
    }

    public AdminApiHandler.AppTestResult test(AppView app) {
        List<TunnelConnection> tried = new ArrayList<>();
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<TunnelConnection> tunnel = registry.pick(app.connectorGroupId(), tried);
            if (tunnel.isEmpty()) {
                break;
            }
            long start = System.nanoTime();
            TunnelStream stream;
            try {
                stream = tunnel.get().open(new RequestHead(app.id(), "GET", app.internalUrl(),
                        List.of(new HeaderField("User-Agent", "Drawbridge-AppTest/1"), new HeaderField("Accept", "*/*")),
                        TIMEOUT, false, false));
            } catch (IOException e) {
                tried.add(tunnel.get());
                continue;
            }
            String connector = tunnel.get().connectorId();
            stream.endOutputWithoutFrame();
            try {
                ResponseHead head = stream.awaitHead(TIMEOUT);
                long ms = (System.nanoTime() - start) / 1_000_000;
                return new AdminApiHandler.AppTestResult(head.status(), ms, connector, null);
            } catch (TimeoutException e) {
                return new AdminApiHandler.AppTestResult(null, TIMEOUT.toMillis(), connector,
                        "no response from the internal URL within " + TIMEOUT.toSeconds() + " s");
            } catch (dev.drawbridge.model.tunnel.StreamResetException e) {
                String why = switch (e.code()) {
                    case UPSTREAM_UNREACHABLE -> "the connector could not connect to the internal URL";
                    case UPSTREAM_TIMEOUT -> "the internal app did not answer in time";
                    default -> "the stream was reset (" + e.code() + ")";
                };
                return new AdminApiHandler.AppTestResult(null, (System.nanoTime() - start) / 1_000_000, connector, why + ": " + e.getMessage());
            } catch (IOException e) {
                return new AdminApiHandler.AppTestResult(null, (System.nanoTime() - start) / 1_000_000, connector,
                        "the tunnel failed: " + e.getMessage());
            } finally {
                stream.reset(ResetCode.CANCEL, "test done");
            }
        }
        return new AdminApiHandler.AppTestResult(null, 0, null, "no connector of group " + app.connectorGroupName() + " is connected");
    }
}
