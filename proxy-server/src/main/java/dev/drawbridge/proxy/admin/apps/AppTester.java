package dev.drawbridge.proxy.admin.apps;

import dev.drawbridge.model.api.AppTestResult;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.ResetCode;
import dev.drawbridge.model.tunnel.ResponseHead;
import dev.drawbridge.model.tunnel.StreamResetException;
import dev.drawbridge.model.tunnel.TunnelStream;
import dev.drawbridge.proxy.tunnel.ConnectorOfflineException;
import dev.drawbridge.proxy.tunnel.ConnectorPicker;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * "Test" in the console: a GET of the app's internal URL carried by a connector of its group, exactly as user
 * traffic is ({@link ConnectorPicker} picks the tunnel and decides retries), answering the status and the time to the
 * response head. The body is not kept.
 */
public final class AppTester {
    static final Duration TIMEOUT = Duration.ofSeconds(15);
    private final ConnectorPicker picker;

    public AppTester(ConnectorPicker picker) {
        this.picker = picker;
    }

    public AppTestResult test(AppView app) {
        ConnectorPicker.Attempt attempt = new ConnectorPicker.Attempt();
        RequestHead request = new RequestHead(app.id(), "GET", app.internalUrl(),
                List.of(new HeaderField("User-Agent", "Drawbridge-AppTest/1"), new HeaderField("Accept", "*/*")), TIMEOUT, false, false);
        while (true) {
            long start = System.nanoTime();
            ConnectorPicker.Opened opened;
            try {
                opened = picker.open(app.connectorGroupId(), request, attempt);
            } catch (ConnectorOfflineException e) {
                return AppTestResult.failed(0, null, e.maintenance().isPresent() || e.tooOldForSso() ? e.getMessage()
                        : "no connector of group " + app.connectorGroupName() + " is connected");
            }
            TunnelStream stream = opened.stream();
            String connector = opened.tunnel().connectorId();
            stream.endOutputWithoutFrame();
            try {
                ResponseHead head = stream.awaitHead(TIMEOUT);
                long ms = (System.nanoTime() - start) / 1_000_000;
                return AppTestResult.answered(head.status(), ms, connector);
            } catch (TimeoutException e) {
                return AppTestResult.failed(TIMEOUT.toMillis(), connector,
                        "no response from the internal URL within " + TIMEOUT.toSeconds() + " s");
            } catch (StreamResetException e) {
                if (ConnectorPicker.mayRetry(e, attempt)) {
                    continue;
                }
                String why = switch (e.code()) {
                    case UPSTREAM_UNREACHABLE -> "the connector could not connect to the internal URL";
                    case UPSTREAM_TIMEOUT -> "the internal app did not answer in time";
                    default -> "the stream was reset (" + e.code() + ")";
                };
                return AppTestResult.failed((System.nanoTime() - start) / 1_000_000, connector, why + ": " + e.reason());
            } catch (IOException e) {
                return AppTestResult.failed((System.nanoTime() - start) / 1_000_000, connector,
                        "the tunnel failed: " + e.getMessage());
            } finally {
                stream.reset(ResetCode.CANCEL, "test done");
            }
        }
    }
}
