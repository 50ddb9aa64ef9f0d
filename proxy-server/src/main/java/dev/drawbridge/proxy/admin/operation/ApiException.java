package dev.drawbridge.proxy.admin.operation;

import dev.drawbridge.model.api.Problem;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** An admin API call that ends in a problem document (404, 405, ...). */
public final class ApiException extends Exception {
    private final Problem problem;
    private final Optional<Duration> retryAfter;

    public ApiException(int status, String title, String detail) {
        super(detail);
        this.problem = new Problem("about:blank", title, status, detail, List.of());
        this.retryAfter = Optional.empty();
    }

    /** A 429 or 503 that tells the client when to come back ({@code Retry-After}, whole seconds, at least 1). */
    public ApiException(int status, String title, String detail, Duration retryAfter) {
        super(detail);
        this.problem = new Problem("about:blank", title, status, detail, List.of());
        this.retryAfter = Optional.of(retryAfter);
    }

    public ApiException(Problem problem) {
        super(problem.detail());
        this.problem = problem;
        this.retryAfter = Optional.empty();
    }

    /** When to come back, for a {@code Retry-After} header. */
    public Optional<Duration> retryAfter() {
        return retryAfter;
    }

    /** Whole seconds to wait, rounded up, at least 1. */
    public static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }

    public Problem problem() {
        return problem;
    }

    public static ApiException notFound() {
        return new ApiException(404, "Not found", "no such resource");
    }

    public static ApiException notAllowed() {
        return new ApiException(405, "Method not allowed", "this method is not supported on this resource");
    }
}
