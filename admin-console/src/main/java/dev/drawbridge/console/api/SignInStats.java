package dev.drawbridge.console.api;

import java.time.Instant;
import java.util.List;

/** {@code GET /stats/sign-ins?hours=N}: sign-ins that succeeded and were denied, per hour. */
public record SignInStats(List<Bucket> buckets) {
    public SignInStats {
        buckets = buckets == null ? List.of() : List.copyOf(buckets);
    }

    /** One hour. */
    public record Bucket(Instant start, long succeeded, long denied) {
    }
}
