package dev.drawbridge.proxy.web;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own errors (malformed request line, oversized headers, bad URI) answered with the branded
 * page instead of Jetty's default, and never with a stack trace.
 */
public final class ErrorPageHandler extends ErrorHandler {
    public ErrorPageHandler() {
        setShowStacks(false);
        setShowMessageInTitle(false);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = request.getAttribute(ERROR_STATUS) instanceof Integer i ? i : response.getStatus() <= 0 ? 500 : response.getStatus();
        String reason = HttpStatus.getMessage(status);
        String message = switch (status) {
            case 400 -> "The request was malformed and could not be processed.";
            case 431 -> "The request headers are too large.";
            case 414 -> "The request URI is too long.";
            default -> status >= 500 ? "The server could not process the request." : "The request was refused.";
        };
        Responses.page(response, callback, status, status + " " + reason, message);
        return true;
    }
}
