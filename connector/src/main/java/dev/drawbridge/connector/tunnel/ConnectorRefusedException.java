package dev.drawbridge.connector.tunnel;

import java.io.IOException;

/** The server refused this connector's certificate for good (revoked or unknown): only a new registration helps. */
public final class ConnectorRefusedException extends IOException {
    public ConnectorRefusedException(String message) {
        super(message);
    }
}
