package dev.drawbridge.adminclient;

/**
 * Why an admin API call did not succeed; its message is one readable sentence (never a stack trace), with nothing
 * secret in it. {@link AdminApiException}: the server refused, with a problem document. {@link ServerUnreachableException}:
 * nothing usable answered (certificate, refused connection, timeout). {@link UnexpectedAnswerException}: something
 * answered that is not the admin API (a redirect, a body that is not its JSON).
 */
public abstract sealed class AdminClientException extends Exception
        permits AdminApiException, ServerUnreachableException, UnexpectedAnswerException {
    AdminClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
