package dev.drawbridge.tunnel.transport;

import org.eclipse.jetty.http.HttpFields;

import java.io.IOException;

/**
 * The server answered the {@code drawbridge-tunnel/2} upgrade with something else than {@code 101}: its status and
 * headers, for the connector's rules (401 and 403 are permanent; anything else, e.g. an older server's 400, means
 * "dial WebSocket instead").
 */
public final class TunnelUpgradeRefusedException extends IOException {
    private final int status;
    private final transient HttpFields headers;

    public TunnelUpgradeRefusedException(int status, HttpFields headers) {
        super("the server answered the " + FrameConnection.PROTOCOL + " upgrade with " + status);
        this.status = status;
        this.headers = headers.asImmutable();
    }

    /** The HTTP status the server answered. */
    public int status() {
        return status;
    }

    /** The response's headers (e.g. {@code X-Drawbridge-Tunnel-Features}). */
    public HttpFields headers() {
        return headers;
    }
}
