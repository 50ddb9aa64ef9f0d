package dev.drawbridge.model.api;

import java.time.Instant;
import java.util.List;

/** {@code GET /stats/sign-ins?hours=N}: sign-ins that succeeded and were denied, per hour, oldest first. */
public record SignInStats(List<Bucket> buckets) {
    public SignInStats {
        buckets = buckets == null ? List.of() : List.copyOf(buckets);
    }

    /** One hour from {@code start}: sign-ins that succeeded, and those denied or failed (interrupted ones count in neither). */
    public record Bucket(Instant start, long succeeded, long denied) {
    }
}
