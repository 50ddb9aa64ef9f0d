package dev.drawbridge.model.api.validation;

import java.io.IOException;
import java.net.InetAddress;

/**
 * Whether a URL's host is this machine: {@code localhost} or a literal loopback address ({@code 127.0.0.0/8},
 * {@code [::1]}). A name other than {@code localhost} is never looked up: a rule must not depend on DNS (nor block a
 * UI thread on it).
 */
public final class LoopbackHosts {
    private LoopbackHosts() {
    }

    /** {@code host} as {@link java.net.URI#getHost()} gives it (IPv6 in brackets). */
    public static boolean isLoopback(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equals("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }
}
