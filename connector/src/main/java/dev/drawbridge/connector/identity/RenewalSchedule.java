package dev.drawbridge.connector.identity;

import java.time.Duration;
import java.util.Objects;

/**
 * When a running connector looks at its certificate's age ({@link CertificateRenewal#due}): a first time
 * {@code firstCheck} after it started (at once when a renewal was left under way), then every {@code interval}. A check
 * costs nothing but a look at the clock; only a due certificate is renewed. The default checks a minute after start and
 * then every 6 hours: a certificate renews within 6 hours of half its validity (182 days of 365), months before expiry.
 */
public record RenewalSchedule(Duration firstCheck, Duration interval) {
    /** The longest interval: the default one. */
    public static final Duration LONGEST = Duration.ofHours(6);
    /** The shortest interval {@code run --renewal-check} takes: a check a second is cheap, more often is pointless. */
    public static final Duration SHORTEST = Duration.ofSeconds(1);
    /** A minute after start, then every 6 hours. */
    public static final RenewalSchedule DEFAULT = new RenewalSchedule(Duration.ofMinutes(1), LONGEST);

    public RenewalSchedule {
        Objects.requireNonNull(firstCheck, "firstCheck");
        Objects.requireNonNull(interval, "interval");
        if (firstCheck.isNegative()) {
            throw new IllegalArgumentException("firstCheck: " + firstCheck + " must not be negative");
        }
        if (interval.isNegative() || interval.isZero() || interval.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("interval: " + interval + " must be positive and at most " + LONGEST.toHours() + " h");
        }
    }

    /** Checks every {@code interval}, the first time after a minute or one interval, whichever is shorter. */
    public static RenewalSchedule every(Duration interval) {
        return new RenewalSchedule(interval.compareTo(DEFAULT.firstCheck) < 0 ? interval : DEFAULT.firstCheck, interval);
    }
}
