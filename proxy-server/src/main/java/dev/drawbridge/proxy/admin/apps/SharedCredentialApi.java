package dev.drawbridge.proxy.admin.apps;

import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.Problem.FieldError;
import dev.drawbridge.model.api.SharedCredential;
import dev.drawbridge.model.api.validation.SsoRules;
import dev.drawbridge.model.sso.SsoInstruction.Credential;
import dev.drawbridge.proxy.admin.operation.AdminRequest;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.apps.AppStore;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.vault.Vault;
import dev.drawbridge.proxy.web.ValidationException;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code /apps/{id}/sso/shared-credential}: the user name and password every user of an app with password vaulting's
 * shared mode signs in with (Entra's "shared" credentials, for service accounts). Write-only: PUT sets or replaces it
 * (sealed with the data key, bound to the app's internal origin: after the app's internal URL changes it must be set
 * again), DELETE removes it; nothing ever returns it. Audit entries name the user name, never the password.
 */
public final class SharedCredentialApi {
    private final AppStore apps;
    private final Vault vault;
    private final AuditLog audit;

    public SharedCredentialApi(AppStore apps, Vault vault, AuditLog audit) {
        this.apps = apps;
        this.vault = vault;
        this.audit = audit;
    }

    public Answer put(Caller caller, AdminRequest request) throws ApiException, ValidationException, IOException {
        PublishedApp app = app(request);
        if (app.preAuthentication() != PreAuthentication.DIRECTORY) {
            throw new ApiException(409, "Not pre-authenticated", "single sign-on, and so a shared credential, needs an app with "
                    + "preAuthentication DIRECTORY; '" + app.name() + "' is " + app.preAuthentication());
        }
        SharedCredential in = request.body(SharedCredential.class);
        List<FieldError> errors = SsoRules.checkCredential(in.username(), in.password());
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        Map<String, String> before = vault.sharedUsername(app.id()).map(SharedCredentialApi::audited).orElse(null);
        vault.storeShared(app, new Credential(in.username(), in.password()));
        audit.record(caller.subject(), "app.sso.shared-credential.set", "app", app.id(), before, audited(in.username()));
        return Answer.noContent();
    }

    public Answer delete(Caller caller, AdminRequest request) throws ApiException {
        PublishedApp app = app(request);
        String username = vault.sharedUsername(app.id()).orElseThrow(() -> new ApiException(404, "Not found",
                "the app has no shared credential"));
        vault.deleteShared(app.id());
        audit.record(caller.subject(), "app.sso.shared-credential.delete", "app", app.id(), audited(username), null);
        return Answer.noContent();
    }

    /** What the audit log keeps of a shared credential: its user name, and that a password was set (never which). */
    private static Map<String, String> audited(String username) {
        return Map.of("username", username, "password", "(set, not recorded)");
    }

    private PublishedApp app(AdminRequest request) throws ApiException {
        return apps.find(request.path("id")).orElseThrow(ApiException::notFound);
    }
}
