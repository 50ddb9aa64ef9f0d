package dev.drawbridge.proxy.admin.apps;

import dev.drawbridge.model.api.AdminRole.Permission;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.proxy.admin.operation.AdminRequest;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.apps.AppService;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.web.ValidationException;

import java.io.IOException;

/**
 * {@code /apps/{id}/sso}: how the connector signs users in to the app's backend. GET answers the settings ({@code NONE}
 * when there are none); PUT replaces them, checked with {@link dev.drawbridge.model.api.validation.SsoRules} (400 naming
 * each field), refused for an app that is not pre-authenticated (409 naming {@code method}: the connector can sign in
 * only a user Drawbridge verified), and answers them as stored. Method {@code NONE} removes single sign-on. Each change
 * is audit-logged as {@code app.sso.update} with the settings before and after (they hold no secret).
 */
public final class AppSsoApi {
    private final AppService apps;
    private final AuditLog audit;

    public AppSsoApi(AppService apps, AuditLog audit) {
        this.apps = apps;
        this.audit = audit;
    }

    public Answer get(Caller caller, AdminRequest request) throws ApiException {
        return Answer.ok(apps.sso(request.path("id")).orElseThrow(ApiException::notFound));
    }

    public Answer replace(Caller caller, AdminRequest request) throws ApiException, ValidationException, ConflictException, IOException {
        // The route asks for it too; kept here so that no other way to this method skips it.
        if (!caller.may(Permission.PROXY_SETTINGS_WRITE)) {
            throw new ApiException(403, "Forbidden",
                    "changing single sign-on needs the PROXY_SETTINGS_WRITE permission (Application administrator)");
        }
        String id = request.path("id");
        SsoSettings before = apps.sso(id).orElseThrow(ApiException::notFound);
        SsoSettings after = apps.setSso(id, request.body(SsoSettings.class)).orElseThrow(ApiException::notFound);
        audit.record(caller.subject(), "app.sso.update", "app", id, before, after);
        return Answer.ok(after);
    }
}
