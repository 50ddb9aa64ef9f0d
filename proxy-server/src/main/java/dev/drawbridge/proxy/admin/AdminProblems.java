package dev.drawbridge.proxy.admin;

import dev.drawbridge.model.api.Problem;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.identity.PasswordHasher;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.web.Responses;
import dev.drawbridge.proxy.web.ValidationException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;

/**
 * How the admin API answers what an operation throws: an RFC 9457 problem document for each kind of failure, in one
 * place. Input problems are 400s naming each field, conflicts 409s, an unreadable body a 400, the password hasher's
 * back-pressure a 429; anything else is logged with its stack trace and answered as a bare 500.
 */
final class AdminProblems {
    static final String REALM = "Bearer realm=\"drawbridge-admin\"";
    private static final Logger LOG = LoggerFactory.getLogger(AdminProblems.class);

    private AdminProblems() {
    }

    /** Work that writes its own answer, or throws. */
    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    static void answer(Request request, Response response, Callback callback, Work work) {
        try {
            work.run();
        } catch (ApiException e) {
            if (e.problem().status() == 401) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, REALM);
            }
            e.retryAfter().ifPresent(d -> response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(ApiException.seconds(d))));
            Responses.problem(response, callback, e.problem());
        } catch (ValidationException e) {
            Responses.problem(response, callback, new Problem("about:blank", "Invalid request", 400, e.getMessage(), e.errors()));
        } catch (ConflictException e) {
            Responses.problem(response, callback, new Problem("about:blank", "Conflict", 409, e.getMessage(),
                    List.of(new Problem.FieldError(e.field(), e.getMessage()))));
        } catch (IOException e) {
            Responses.problem(response, callback, 400, "Bad request", "the request body could not be read");
        } catch (PasswordHasher.Busy e) {
            // Setting a password hashes it: all hashing permits stayed taken (a flood of sign-ins). Not an error of ours.
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            Responses.problem(response, callback, 429, "Too many requests", "the server is busy checking passwords; try again in 1 s");
        } catch (Exception e) {
            LOG.error("admin API {} {} failed", request.getMethod(), Request.getPathInContext(request), e);
            Responses.problem(response, callback, 500, "Internal error", "the server could not complete the request; see its log");
        }
    }
}
