package dev.drawbridge.console.apps;

import dev.drawbridge.model.api.AppThrottle;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An app's own limits as the admin types them in the app editor: a rate and burst (blank: the server's per-app limit;
 * a rate without a burst: bursts of twice the rate) and a backend timeout in seconds (blank: what the DEFAULT/LONG
 * choice says). The console checks the form of the numbers; the server checks their range (its
 * {@code max-backend-timeout}) and names the field.
 */
final class AppLimitsInput {
    private AppLimitsInput() {
    }

    /** Field ({@link AppEditor#RATE}, {@link AppEditor#BURST}, {@link AppEditor#TIMEOUT_SECONDS}) → sentence, for those in error. */
    static Map<String, String> check(String rate, String burst, String seconds) {
        Map<String, String> e = new LinkedHashMap<>();
        boolean noRate = rate == null || rate.isBlank();
        if (!noRate && positive(rate) == null) {
            e.put(AppEditor.RATE, "The rate is a whole number of requests a second from 1 to " + AppThrottle.MAX + ", or blank for the server's.");
        }
        if (burst != null && !burst.isBlank()) {
            if (noRate) {
                e.put(AppEditor.BURST, "A burst needs a rate.");
            } else if (positive(burst) == null) {
                e.put(AppEditor.BURST, "The burst is a whole number of requests from 1 to " + AppThrottle.MAX + ".");
            }
        }
        if (seconds != null && !seconds.isBlank() && positive(seconds) == null) {
            e.put(AppEditor.TIMEOUT_SECONDS, "The timeout is a whole number of seconds, or blank for the choice's 85 or 180 s.");
        }
        return e;
    }

    /** The throttle typed, or null (blank: the server's; malformed values never get here, {@link #check} stops them). */
    static AppThrottle throttle(String rate, String burst) {
        Integer r = positive(rate);
        if (r == null) {
            return null;
        }
        Integer b = positive(burst);
        return new AppThrottle(r, b != null ? b : (int) Math.min(AppThrottle.MAX, 2L * r));
    }

    /** The timeout typed in seconds, or null for the DEFAULT/LONG choice's. */
    static Integer seconds(String text) {
        return positive(text);
    }

    private static Integer positive(String text) {
        if (text == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(text.strip());
            return n >= 1 && n <= AppThrottle.MAX ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
