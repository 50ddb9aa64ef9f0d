package dev.drawbridge.model.api.validation;

import dev.drawbridge.model.api.Problem.FieldError;

import java.util.Optional;

/** Passwords an administrator sets for a directory user. */
public final class Passwords {
    /** The shortest password accepted. */
    public static final int MIN_LENGTH = 12;

    private Passwords() {
    }

    /** "{@code field} must be at least 12 characters", for a missing or shorter password. */
    public static Optional<FieldError> problem(String field, String password) {
        return password != null && password.length() >= MIN_LENGTH ? Optional.empty()
                : Optional.of(new FieldError(field, field + " must be at least " + MIN_LENGTH + " characters"));
    }
}
