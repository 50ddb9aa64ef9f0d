package dev.drawbridge.model.api;

/**
 * An app's own request rate limit, instead of the server's per-app default: a token bucket holding {@code burst}
 * requests, refilled at {@code requestsPerSecond}. A request beyond it is answered 429 with {@code Retry-After}. The
 * server's global limit applies as well. Checked by the server ({@code requestsPerSecond} and {@code burst} from 1 to
 * {@link #MAX}), not here, so that a bad value comes back as a problem naming its field.
 *
 * @param requestsPerSecond how many requests a second the bucket refills
 * @param burst             how many requests may come at once
 */
public record AppThrottle(int requestsPerSecond, int burst) {
    /** The largest rate or burst an app may be given. */
    public static final int MAX = 10_000_000;
}
