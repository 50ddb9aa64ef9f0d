package dev.drawbridge.proxy.web;

import dev.drawbridge.model.api.Problem;

import java.util.List;

/** Input that cannot be accepted: every problem at once, each naming its field. */
public final class ValidationException extends Exception {
    private final List<Problem.FieldError> errors;

    public ValidationException(List<Problem.FieldError> errors) {
        super(errors.stream().map(e -> e.field() + ": " + e.message()).reduce((a, b) -> a + "; " + b).orElse("invalid"));
        this.errors = List.copyOf(errors);
    }

    public ValidationException(String field, String message) {
        this(List.of(new Problem.FieldError(field, message)));
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }
}
