package dev.drawbridge.model.api;

import java.time.Duration;

/** How long the proxy waits for an internal app's response head. */
public enum BackendTimeout {
    DEFAULT(Duration.ofSeconds(85)),
    LONG(Duration.ofSeconds(180));

    private final Duration duration;

    BackendTimeout(Duration duration) {
        this.duration = duration;
    }

    public Duration duration() {
        return duration;
    }
}
