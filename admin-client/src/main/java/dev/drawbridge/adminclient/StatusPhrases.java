package dev.drawbridge.adminclient;

import java.util.Map;

/** The reason phrases of the statuses an admin API answer may carry (the JDK's client does not give the server's). */
final class StatusPhrases {
    private static final Map<Integer, String> PHRASES = Map.ofEntries(
            Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"),
            Map.entry(405, "Method Not Allowed"), Map.entry(406, "Not Acceptable"), Map.entry(409, "Conflict"),
            Map.entry(413, "Content Too Large"), Map.entry(415, "Unsupported Media Type"), Map.entry(429, "Too Many Requests"),
            Map.entry(500, "Internal Server Error"), Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Unavailable"),
            Map.entry(504, "Gateway Timeout"));

    private StatusPhrases() {
    }

    static String of(int status) {
        return PHRASES.getOrDefault(status, "HTTP " + status);
    }
}
