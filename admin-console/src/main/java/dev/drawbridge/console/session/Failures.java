package dev.drawbridge.console.session;

import dev.drawbridge.adminclient.AdminApiException;
import dev.drawbridge.adminclient.ServerUnreachableException;
import dev.drawbridge.adminclient.UnexpectedAnswerException;
import dev.drawbridge.model.api.Problem;

import java.util.Optional;

/**
 * What the console reads from a failed admin API call ({@link AdminApiException}: the server refused, with a problem
 * document; {@link ServerUnreachableException}; {@link UnexpectedAnswerException}), and how it says it to an admin:
 * one readable sentence, never a stack trace.
 */
public final class Failures {
    private Failures() {
    }

    /** The HTTP status the server refused with; 0 when it did not answer (or the failure is not the API's). */
    public static int status(Exception e) {
        return e instanceof AdminApiException a ? a.status() : 0;
    }

    /** The server does not know this endpoint or this item: an older server, a deleted item, nothing configured. */
    public static boolean notFound(Exception e) {
        return status(e) == 404;
    }

    /** The server's problem document, when it refused with one. */
    public static Optional<Problem> problem(Exception e) {
        return e instanceof AdminApiException a && a.fromServer() ? Optional.of(a.problem()) : Optional.empty();
    }

    /** The server wants a second factor before it issues an admin token. */
    public static boolean mfaRequired(Exception e) {
        return status(e) == 401 && problem(e).map(Problem::type).filter(t -> t.endsWith("mfa-required")).isPresent();
    }

    /** A readable sentence for any failure. */
    public static String message(Exception e) {
        if (e instanceof AdminApiException a) {
            if (a.status() == 401) {
                return "The server no longer accepts this sign-in (it may have expired). Sign out and sign in again.\n" + a.getMessage();
            }
            if (a.status() == 403) {
                return "Your role does not allow this. " + a.getMessage();
            }
            return a.getMessage();
        }
        if (e instanceof ServerUnreachableException u && u.reason() == ServerUnreachableException.Reason.UNTRUSTED_CERTIFICATE) {
            return u.getMessage() + " (sign in again to review it)";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
