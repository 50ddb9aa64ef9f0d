package dev.drawbridge.model.api.validation;

import dev.drawbridge.model.api.Problem.FieldError;

import java.util.Optional;

/** Required text (names, display names, ids): present, not blank, and at most a number of characters once stripped. */
public final class Names {
    /** The longest name of an app, a group, a connector group, a policy or a named location, and of a user's display name. */
    public static final int MAX = 200;
    /** The longest maintenance message of a connector group. */
    public static final int MAX_MAINTENANCE_MESSAGE = 500;

    /** What {@link #check} found. */
    public enum Verdict { OK, MISSING, TOO_LONG }

    private Names() {
    }

    /** Whether {@code value} is there (not null or blank) and at most {@code max} characters once stripped. */
    public static Verdict check(String value, int max) {
        if (value == null || value.isBlank()) {
            return Verdict.MISSING;
        }
        return value.strip().length() > max ? Verdict.TOO_LONG : Verdict.OK;
    }

    /**
     * A connector group's maintenance message: absent, or at most {@value #MAX_MAINTENANCE_MESSAGE} characters once stripped,
     * without control characters (it is shown on a page and in the console).
     */
    public static Optional<FieldError> maintenanceMessage(String field, String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        if (value.strip().length() > MAX_MAINTENANCE_MESSAGE) {
            return Optional.of(new FieldError(field, field + " is at most " + MAX_MAINTENANCE_MESSAGE + " characters"));
        }
        if (value.chars().anyMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029 || Character.getType(c) == Character.FORMAT)) {
            return Optional.of(new FieldError(field, field + " must not contain control or formatting characters"));
        }
        return Optional.empty();
    }

    /** "{@code field} is required (1 to {@code max} characters)", when {@link #check} is not OK. */
    public static Optional<FieldError> required(String field, String value, int max) {
        return required(field, value, max, "");
    }

    /** As {@link #required(String, String, int)}, the sentence going on with {@code more} (e.g. ", e.g. Contoso ID"). */
    public static Optional<FieldError> required(String field, String value, int max, String more) {
        return check(value, max) == Verdict.OK ? Optional.empty()
                : Optional.of(new FieldError(field, field + " is required (1 to " + max + " characters)" + more));
    }
}
