package dev.drawbridge.proxy.apps;

import dev.drawbridge.model.api.AppThrottle;

import java.time.Duration;
import java.util.Optional;

/**
 * An app's own limits, each 0 when the server's applies: its request rate ({@code requestsPerSecond}, {@code burst}) and
 * its backend timeout in seconds, which replaces what its {@link dev.drawbridge.model.api.BackendTimeout} means.
 */
public record AppLimits(int requestsPerSecond, int burst, int backendTimeoutSeconds) {
    /** The server's limits. */
    public static final AppLimits NONE = new AppLimits(0, 0, 0);

    public AppLimits {
        if (requestsPerSecond < 0 || burst < 0 || backendTimeoutSeconds < 0 || (requestsPerSecond == 0) != (burst == 0)) {
            throw new IllegalArgumentException("limits must be positive, a rate with its burst, or 0 for the server's");
        }
    }

    /** The limits a spec's fields describe (null: the server's). */
    public static AppLimits of(AppThrottle throttle, Integer backendTimeoutSeconds) {
        return new AppLimits(throttle == null ? 0 : throttle.requestsPerSecond(), throttle == null ? 0 : throttle.burst(),
                backendTimeoutSeconds == null ? 0 : backendTimeoutSeconds);
    }

    /** The app's own rate limit, or empty for the server's per-app default. */
    public Optional<AppThrottle> throttle() {
        return requestsPerSecond == 0 ? Optional.empty() : Optional.of(new AppThrottle(requestsPerSecond, burst));
    }

    /** The app's own backend timeout, or empty for what its {@code BackendTimeout} means. */
    public Optional<Duration> backendTimeout() {
        return backendTimeoutSeconds == 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(backendTimeoutSeconds));
    }
}
