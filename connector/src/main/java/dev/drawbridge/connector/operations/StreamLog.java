package dev.drawbridge.connector.operations;

import dev.drawbridge.connector.http.RequestContext;
import dev.drawbridge.connector.tunnel.TunnelClient;
import dev.drawbridge.model.tunnel.TunnelStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector's access log: one line per stream when it is done (logger {@value #ACCESS_LOGGER}, at INFO; off in the
 * shipped configuration), with the proxy's request id in the log context: method, app, outcome (status or reset code),
 * milliseconds to the head, body bytes each way. Never the internal URL, its query, or a header.
 */
public final class StreamLog implements TunnelClient.Observer {
    /** The access log's logger: INFO for a line per stream. */
    public static final String ACCESS_LOGGER = "drawbridge.access.connector";
    private static final Logger ACCESS = LoggerFactory.getLogger(ACCESS_LOGGER);

    @Override
    public void streamClosed(TunnelStream stream) {
        if (!ACCESS.isInfoEnabled()) {
            return;
        }
        try (RequestContext.Scope ignored = RequestContext.enter(stream.request())) {
            long nanos = stream.nanosToHead().orElseGet(stream::nanosSinceOpen);
            ACCESS.info("{} app={} outcome={} ms={} bytesIn={} bytesOut={}", stream.request().method(), stream.request().appId(),
                    stream.headStatus().isPresent() ? Integer.toString(stream.headStatus().getAsInt()) : ConnectorMetrics.outcome(stream),
                    nanos / 1_000_000, stream.bytesReceived(), stream.bytesSent());
        }
    }
}
