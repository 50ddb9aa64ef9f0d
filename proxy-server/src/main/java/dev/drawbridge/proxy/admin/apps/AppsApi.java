package dev.drawbridge.proxy.admin.apps;

import dev.drawbridge.model.api.AdminRole.Permission;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.proxy.admin.operation.AdminRequest;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.admin.operation.Queries;
import dev.drawbridge.proxy.apps.AppService;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.web.ValidationException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code /apps}: publish ({@code PROXY_SETTINGS_WRITE}), list and read, edit, unpublish, and test an app. An edit by a
 * caller without {@code PROXY_SETTINGS_WRITE} (a cloud application administrator) is compared with the stored app first:
 * if any proxy setting would change, it is refused with one field error per setting and nothing is saved.
 */
public final class AppsApi {
    private final AppService apps;
    private final AppTester tester;
    private final AuditLog audit;

    public AppsApi(AppService apps, AppTester tester, AuditLog audit) {
        this.apps = apps;
        this.tester = tester;
        this.audit = audit;
    }

    /** {@code ?name=}: apps whose name contains it, ignoring case. */
    public Answer list(Caller caller, AdminRequest request) throws ValidationException {
        Optional<String> name = request.query("name").map(n -> n.toLowerCase(Locale.ROOT));
        return Answer.ok(Queries.page(apps.list().stream()
                .filter(a -> name.isEmpty() || a.name().toLowerCase(Locale.ROOT).contains(name.get())).toList(), request));
    }

    public Answer create(Caller caller, AdminRequest request) throws ValidationException, ConflictException, IOException {
        AppView created = apps.create(request.body(AppSpec.class));
        audit.record(caller.subject(), "app.create", "app", created.id(), null, created);
        return Answer.created(created);
    }

    public Answer get(Caller caller, AdminRequest request) throws ApiException {
        return Answer.ok(find(request));
    }

    public Answer replace(Caller caller, AdminRequest request) throws ApiException, ValidationException, ConflictException, IOException {
        String id = request.path("id");
        AppView before = find(request);
        AppSpec spec = request.body(AppSpec.class);
        if (!caller.may(Permission.PROXY_SETTINGS_WRITE)) {
            List<String> changed = proxySettingsChanged(before, apps.preview(id, spec));
            if (!changed.isEmpty()) {
                throw new ApiException(new Problem("https://drawbridge.dev/problems/forbidden", "Forbidden", 403,
                        "changing proxy settings needs the PROXY_SETTINGS_WRITE permission (Application administrator)",
                        changed.stream().map(f -> new Problem.FieldError(f, "proxy setting; your roles may not change it")).toList()));
            }
        }
        AppView after = apps.replace(id, spec).orElseThrow(ApiException::notFound);
        audit.record(caller.subject(), "app.update", "app", id, before, after);
        return Answer.ok(after);
    }

    public Answer delete(Caller caller, AdminRequest request) throws ApiException {
        String id = request.path("id");
        AppView before = find(request);
        if (!apps.delete(id)) {
            throw ApiException.notFound();
        }
        audit.record(caller.subject(), "app.delete", "app", id, before, null);
        return Answer.noContent();
    }

    /** Fetches the internal URL through a connector of the app's group: status and latency, or why not. */
    public Answer test(Caller caller, AdminRequest request) throws ApiException {
        return Answer.ok(tester.test(find(request)));
    }

    private AppView find(AdminRequest request) throws ApiException {
        return apps.get(request.path("id")).orElseThrow(ApiException::notFound);
    }

    /** The proxy-setting fields that differ between an app and its proposed replacement. */
    static List<String> proxySettingsChanged(AppView a, AppView b) {
        List<String> changed = new ArrayList<>();
        if (!a.externalUrl().equals(b.externalUrl())) {
            changed.add("externalUrl");
        }
        if (!a.internalUrl().equals(b.internalUrl())) {
            changed.add("internalUrl");
        }
        if (!a.connectorGroupId().equals(b.connectorGroupId())) {
            changed.add("connectorGroup");
        }
        if (a.backendTimeout() != b.backendTimeout()) {
            changed.add("backendTimeout");
        }
        if (a.translateHostHeader() != b.translateHostHeader()) {
            changed.add("translateHostHeader");
        }
        if (a.preAuthentication() != b.preAuthentication()) {
            changed.add("preAuthentication");
        }
        if (a.caseInsensitivePaths() != b.caseInsensitivePaths()) {
            changed.add("caseInsensitivePaths");
        }
        if (a.translateLinksInBody() != b.translateLinksInBody()) {
            changed.add("translateLinksInBody");
        }
        if (a.translateLinksInScripts() != b.translateLinksInScripts()) {
            changed.add("translateLinksInScripts");
        }
        if (!Objects.equals(a.throttle(), b.throttle())) {
            changed.add("throttle");
        }
        if (!Objects.equals(a.backendTimeoutSeconds(), b.backendTimeoutSeconds())) {
            changed.add("backendTimeoutSeconds");
        }
        return changed;
    }
}
