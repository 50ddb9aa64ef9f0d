package dev.drawbridge.adminclient;

import dev.drawbridge.model.api.Problem;

/**
 * The server answered with an error status: {@link #status()} and its problem document (RFC 9457), or a stand-in
 * naming the status when the answer carried none. The message reads "title: detail" and then one line per field error.
 */
public final class AdminApiException extends AdminClientException {
    private final int status;
    private final Problem problem;
    private final boolean problemDocument;

    AdminApiException(int status, Problem problem, boolean problemDocument) {
        super(describe(status, problem), null);
        this.status = status;
        this.problem = problem;
        this.problemDocument = problemDocument;
    }

    /** An exception for this problem, as a fake of {@link AdminApi} throws it in tests. */
    public static AdminApiException of(Problem problem) {
        return new AdminApiException(problem.status(), problem, true);
    }

    public int status() {
        return status;
    }

    public Problem problem() {
        return problem;
    }

    /** Whether the server sent a problem document (false: {@link #problem()} is a stand-in made from the status). */
    public boolean fromServer() {
        return problemDocument;
    }

    static String describe(int status, Problem p) {
        StringBuilder m = new StringBuilder();
        m.append(p.title() == null || p.title().isBlank() ? "HTTP " + status : p.title());
        if (p.detail() != null && !p.detail().isBlank()) {
            m.append(": ").append(p.detail());
        }
        for (Problem.FieldError e : p.errors()) {
            if (e.message() != null && (p.detail() == null || !p.detail().contains(e.message()))) {
                m.append("\n• ").append(e.message());
            }
        }
        return m.toString();
    }
}
