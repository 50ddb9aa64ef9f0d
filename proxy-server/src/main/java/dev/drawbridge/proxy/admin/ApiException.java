package dev.drawbridge.proxy.admin;

import dev.drawbridge.model.api.Problem;

import java.util.List;

/** An admin API call that ends in a problem document (404, 405, ...). */
public final class ApiException extends Exception {
    private final Problem problem;

    public ApiException(int status, String title, String detail) {
        super(detail);
        this.problem = new Problem("about:blank", title, status, detail, List.of());
    }

    public ApiException(Problem problem) {
        super(problem.detail());
        this.problem = problem;
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
