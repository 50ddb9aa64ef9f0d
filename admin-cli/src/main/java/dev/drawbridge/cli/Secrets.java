package dev.drawbridge.cli;

import java.util.regex.Pattern;

/** Keeps credentials out of what the CLI prints when something goes wrong. */
final class Secrets {
    /** Drawbridge's own credentials (dbadm_, dbreg_, ...), bearer values and JWT-shaped strings. */
    private static final Pattern TOKENS = Pattern.compile(
            "\\b(db[a-z]{2,8}_)[A-Za-z0-9_-]{6,}|(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]{8,}|\\beyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

    private Secrets() {
    }

    /** {@code text} with {@code secret} (if any) and anything token-shaped replaced by a mask. */
    static String mask(String text, String secret) {
        String s = text == null ? "" : text;
        if (secret != null && secret.length() >= 4) {
            s = s.replace(secret, "***");
        }
        return TOKENS.matcher(s).replaceAll(m -> m.group(1) != null ? m.group(1) + "***"
                : m.group(2) != null ? m.group(2) + "***" : "***");
    }
}
