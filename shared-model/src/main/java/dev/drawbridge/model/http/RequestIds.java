package dev.drawbridge.model.http;

import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.model.tunnel.RequestHead;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: one per request, assigned by the proxy, carried to the connector in the OPEN's {@value #HEADER} header
 * and on to the internal app, and written with every log line about the request (MDC key {@value #MDC_KEY}) on both
 * ends. They correlate logs and nothing else: never trusted for a decision.
 */
public final class RequestIds {
    /** The header that carries a request id (to the connector and the app; from a trusted load balancer). */
    public static final String HEADER = "X-Request-Id";
    /** The logging MDC key of the request id. */
    public static final String MDC_KEY = "requestId";
    /** Longest id taken from a load balancer. */
    public static final int MAX_LENGTH = 128;
    private static final byte[] DIGITS = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);

    private RequestIds() {
    }

    /**
     * A new id: 128 random bits as 32 lower-case hex digits (the shape of a W3C trace id). Not a secret and not
     * unguessable (ids only correlate logs), so a fast non-cryptographic generator serves.
     */
    public static String generate() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        byte[] id = new byte[32];
        hex(r.nextLong(), id, 0);
        hex(r.nextLong(), id, 16);
        // One array and one string per request: this runs for every request the proxy serves.
        return new String(id, StandardCharsets.ISO_8859_1);
    }

    private static void hex(long bits, byte[] into, int at) {
        for (int i = 15; i >= 0; i--) {
            into[at + i] = DIGITS[(int) (bits & 0xF)];
            bits >>>= 4;
        }
    }

    /** The well-formed request id {@code head} carries (the proxy puts one in every request's OPEN); empty if none. */
    public static Optional<String> of(RequestHead head) {
        for (HeaderField h : head.headers()) {
            if (h.name().equalsIgnoreCase(HEADER)) {
                return isWellFormed(h.value()) ? Optional.of(h.value()) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * Whether {@code id} may be taken as a request id: 1 to {@value #MAX_LENGTH} characters of ASCII letters, digits and
     * {@code . _ : = + / -}. Nothing that could break a log line or a JSON string (no spaces, quotes, backslashes or
     * control characters), and room for the common load balancers' ids (UUIDs, hex, AWS trace ids, base64).
     */
    public static boolean isWellFormed(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "._:=+/-".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
