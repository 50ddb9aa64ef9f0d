package dev.drawbridge.proxy.admin.apps;

import dev.drawbridge.model.api.AdminRole.Permission;
import dev.drawbridge.model.api.PathPolicies;
import dev.drawbridge.proxy.admin.operation.AdminRequest;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.apps.AppStore;
import dev.drawbridge.proxy.apps.PathPolicyStore;
import dev.drawbridge.proxy.apps.PathPolicyTable;
import dev.drawbridge.proxy.apps.PathPolicyValidator;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.web.ValidationException;

import java.io.IOException;

/**
 * {@code /apps/{id}/paths}: the app's path rules ({@link dev.drawbridge.model.api.PathPolicy}). GET answers them; PUT
 * replaces them all (an empty list removes them), checked by {@link PathPolicyValidator} (400 naming each field, e.g.
 * {@code paths[1].users}), and answers them as stored (plain paths, users and groups as ids). A proxy setting: it decides
 * who signs in where. Each change is audit-logged as {@code app.paths.update} with the rules before and after, and takes
 * effect on this node at once, on the others within seconds.
 */
public final class AppPathsApi {
    private final AppStore apps;
    private final PathPolicyStore store;
    private final PathPolicyTable table;
    private final PathPolicyValidator validator;
    private final AuditLog audit;

    public AppPathsApi(AppStore apps, PathPolicyStore store, PathPolicyTable table, PathPolicyValidator validator, AuditLog audit) {
        this.apps = apps;
        this.store = store;
        this.table = table;
        this.validator = validator;
        this.audit = audit;
    }

    public Answer get(Caller caller, AdminRequest request) throws ApiException {
        PublishedApp app = apps.find(request.path("id")).orElseThrow(ApiException::notFound);
        return Answer.ok(new PathPolicies(store.of(app.id())));
    }

    public Answer replace(Caller caller, AdminRequest request) throws ApiException, ValidationException, IOException {
        // The route asks for it too; kept here so that no other way to this method skips it.
        if (!caller.may(Permission.PROXY_SETTINGS_WRITE)) {
            throw new ApiException(403, "Forbidden", "changing path rules needs the PROXY_SETTINGS_WRITE permission (Application administrator)");
        }
        PublishedApp app = apps.find(request.path("id")).orElseThrow(ApiException::notFound);
        PathPolicies body = request.body(PathPolicies.class);
        PathPolicies before = new PathPolicies(store.of(app.id()));
        store.replace(app.id(), validator.validate(app, body.paths()));
        table.reload();
        PathPolicies after = new PathPolicies(store.of(app.id()));
        audit.record(caller.subject(), "app.paths.update", "app", app.id(), before, after);
        return Answer.ok(after);
    }
}
