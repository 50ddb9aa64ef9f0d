package dev.drawbridge.console.api;

import dev.drawbridge.model.api.Problem;

import java.util.Optional;

/**
 * A failed admin API call: either the server answered with a problem document ({@link #status()} ≥ 400), or it
 * could not be reached ({@link #status()} 0). The message is a sentence fit for a notification.
 */
public final class ApiException extends Exception {
    private final int status;
    private final transient Problem problem;
    private final String path;

    public ApiException(int status, Problem problem, String path, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.problem = problem;
        this.path = path;
    }

    public int status() {
        return status;
    }

    public String path() {
        return path;
    }

    public Optional<Problem> problem() {
        return Optional.ofNullable(problem);
    }

    /** The server does not know this endpoint (or this resource): an older server, or a deleted item. */
    public boolean notFound() {
        return status == 404;
    }

    /** The server wants a second factor before it issues an admin token. */
    public boolean mfaRequired() {
        return status == 401 && problem != null && problem.type() != null && problem.type().endsWith("mfa-required");
    }

    /** The server could not be reached at all. */
    public boolean unreachable() {
        return status == 0;
    }
}
