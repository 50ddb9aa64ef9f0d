package dev.drawbridge.connector.tunnel;

import java.io.IOException;

/**
 * The server answered a tunnel upgrade with an HTTP status other than 101: 401 or 403 (this connector's certificate is
 * not, or no longer, accepted) are {@linkplain #isPermanent() permanent}; anything else (an older server's 400 to an
 * upgrade it does not know, a 404 or 5xx of something in between) is worth dialling again, or with another transport.
 */
public final class DialRefusedException extends IOException {
    private final int status;

    public DialRefusedException(int status, String message, Throwable cause) {
        super(message, cause);
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        this.status = status;
    }

    public DialRefusedException(int status, String message) {
        this(status, message, null);
    }

    /** The HTTP status the server answered. */
    public int status() {
        return status;
    }

    /** Whether the server refused this connector itself (401, 403): only a new registration helps. */
    public boolean isPermanent() {
        return status == 401 || status == 403;
    }
}
