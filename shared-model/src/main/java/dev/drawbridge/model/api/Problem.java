package dev.drawbridge.model.api;

import java.util.List;

/**
 * An RFC 9457 problem document ({@code application/problem+json}).
 *
 * @param errors one entry per offending field, so a client can show every problem at once
 */
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {
    public Problem {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** One invalid input field and an actionable sentence about it. */
    public record FieldError(String field, String message) {
    }
}
