package dev.drawbridge.adminclient;

import java.util.Optional;

/**
 * Something answered that is not the admin API: a redirect (never followed, since it could carry the credential to
 * another host; {@link #location()} says where to) or a success whose body is not the JSON the operation answers.
 */
public final class UnexpectedAnswerException extends AdminClientException {
    private final int status;
    private final String location;

    UnexpectedAnswerException(int status, String location, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.location = location;
    }

    public int status() {
        return status;
    }

    /** Where a redirect pointed. */
    public Optional<String> location() {
        return Optional.ofNullable(location);
    }

    /** Whether the server answered with a redirect. */
    public boolean redirect() {
        return status >= 300 && status < 400;
    }
}
