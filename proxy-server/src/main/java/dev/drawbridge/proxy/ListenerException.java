package dev.drawbridge.proxy;

import java.io.IOException;
import java.util.Locale;

/**
 * A listener of the server could not open its port (in use, privileged, or an address this machine does not
 * have). Says which listener, so that a front door can name the option that moves it.
 */
public final class ListenerException extends IOException {
    /** The server's listeners. */
    public enum Listener { PUBLIC, TUNNEL, MANAGEMENT }

    private final Listener listener;
    private final String host;
    private final int port;

    public ListenerException(Listener listener, String host, int port, Throwable cause) {
        super("cannot listen on " + host + ":" + port + " (" + listener.name().toLowerCase(Locale.ROOT) + " listener): "
                + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()), cause);
        this.listener = listener;
        this.host = host;
        this.port = port;
    }

    public Listener listener() {
        return listener;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }
}
