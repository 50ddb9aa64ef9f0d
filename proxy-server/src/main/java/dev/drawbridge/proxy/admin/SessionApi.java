package dev.drawbridge.proxy.admin;

import dev.drawbridge.model.api.AdminTokenRequest;
import dev.drawbridge.proxy.admin.operation.AdminRequest;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.web.ValidationException;

import java.io.IOException;

/**
 * The admin's session: {@code POST /auth/token} signs in with directory credentials (the one operation without a
 * bearer token; {@link AdminAuth} rate-limits and logs every attempt) and {@code GET /me} says who the caller is.
 */
public final class SessionApi {
    private final AdminAuth auth;

    public SessionApi(AdminAuth auth) {
        this.auth = auth;
    }

    /** {@code caller} is {@link Caller#ANONYMOUS}: the body says who signs in. */
    public Answer signIn(Caller caller, AdminRequest request) throws ApiException, ValidationException, IOException {
        return Answer.ok(auth.signIn(request.body(AdminTokenRequest.class), request.clientAddress()));
    }

    public Answer me(Caller caller, AdminRequest request) {
        return Answer.ok(caller.view());
    }
}
