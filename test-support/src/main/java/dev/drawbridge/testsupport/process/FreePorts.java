package dev.drawbridge.testsupport.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Free loopback ports for servers that cannot bind port 0 themselves (slapd, krb5kdc, Apache): picked by binding
 * port 0 and releasing it, so another process may take one meanwhile; callers retry start-up when that happens
 * ({@link ServerProcess.Exited#portTaken}).
 */
public final class FreePorts {
    /** How many times a server is started on fresh ports before giving up. */
    public static final int ATTEMPTS = 3;

    private FreePorts() {
    }

    /** A port nothing listens on right now, on 127.0.0.1. */
    public static int pick() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
