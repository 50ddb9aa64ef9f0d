package dev.drawbridge.model.operations;

import java.util.List;
import java.util.Objects;

/**
 * The body of {@code /health/live} and {@code /health/ready} on a management listener (server and connector alike):
 * {@code UP} when every check is up (answered with 200), {@code DOWN} otherwise (503), and each check with a short,
 * secret-free detail for the operator.
 *
 * @param status {@code UP} or {@code DOWN}
 * @param checks what was checked, in a fixed order
 */
public record HealthReport(Status status, List<Check> checks) {
    /** Up or down. */
    public enum Status {
        UP, DOWN
    }

    public HealthReport {
        Objects.requireNonNull(status, "status");
        checks = List.copyOf(checks);
    }

    /** The report of these checks: up when all are. */
    public static HealthReport of(List<Check> checks) {
        return new HealthReport(checks.stream().allMatch(Check::up) ? Status.UP : Status.DOWN, checks);
    }

    /** Whether the report is up. */
    public boolean up() {
        return status == Status.UP;
    }

    /** The HTTP status that answers it: 200 up, 503 down. */
    public int httpStatus() {
        return up() ? 200 : 503;
    }

    /**
     * One check.
     *
     * @param name   what was checked, e.g. {@code database}
     * @param status its state
     * @param detail a sentence for the operator (never a secret, never a stack trace)
     */
    public record Check(String name, Status status, String detail) {
        public Check {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(detail, "detail");
        }

        public static Check up(String name, String detail) {
            return new Check(name, Status.UP, detail);
        }

        public static Check down(String name, String detail) {
            return new Check(name, Status.DOWN, detail);
        }

        /** Whether this check is up. */
        public boolean up() {
            return status == Status.UP;
        }
    }
}
