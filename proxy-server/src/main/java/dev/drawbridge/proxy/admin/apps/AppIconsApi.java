package dev.drawbridge.proxy.admin.apps;

import dev.drawbridge.model.api.AppIconView;
import dev.drawbridge.proxy.admin.operation.AdminRequest;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.apps.AppIcons;
import dev.drawbridge.proxy.apps.AppService;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.web.ValidationException;

import java.io.IOException;
import java.util.Map;

/**
 * {@code /apps/{id}/icon}: PUT an image/png or image/svg+xml body (at most 256 KiB, checked by its bytes), GET it back
 * (sandboxed, never sniffed), DELETE it. My Apps shows it; the audit log keeps its type, size and hash.
 */
public final class AppIconsApi {
    /** An SVG is served as an image that can run nothing, whoever opens its URL. */
    static final Map<String, String> ICON_HEADERS = Map.of("X-Content-Type-Options", "nosniff",
            "Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox");
    private final AppIcons icons;
    private final AppService apps;
    private final AuditLog audit;

    public AppIconsApi(AppIcons icons, AppService apps, AuditLog audit) {
        this.icons = icons;
        this.apps = apps;
        this.audit = audit;
    }

    public Answer get(Caller caller, AdminRequest request) throws ApiException {
        AppIcons.Icon icon = icons.find(appId(request)).orElseThrow(ApiException::notFound);
        return new Answer.Bytes(icon.contentType(), icon.body(), ICON_HEADERS);
    }

    public Answer put(Caller caller, AdminRequest request) throws ApiException, ValidationException, IOException {
        String appId = appId(request);
        byte[] body = request.bytes(AppIcons.MAX_BYTES + 1);
        AppIcons.Icon icon = AppIcons.validate(request.header("Content-Type").orElse(null), body);
        AppIconView before = icons.find(appId).map(AppIconsApi::view).orElse(null);
        icons.save(appId, icon);
        audit.record(caller.subject(), "app.icon.update", "app", appId, before, view(icon));
        return Answer.ok(view(icon));
    }

    public Answer delete(Caller caller, AdminRequest request) throws ApiException {
        String appId = appId(request);
        AppIconView before = icons.find(appId).map(AppIconsApi::view).orElseThrow(ApiException::notFound);
        icons.delete(appId);
        audit.record(caller.subject(), "app.icon.delete", "app", appId, before, null);
        return Answer.noContent();
    }

    /** The app's id, once it is known to exist (404 otherwise). */
    private String appId(AdminRequest request) throws ApiException {
        String id = request.path("id");
        if (apps.get(id).isEmpty()) {
            throw ApiException.notFound();
        }
        return id;
    }

    private static AppIconView view(AppIcons.Icon icon) {
        return new AppIconView(icon.contentType(), icon.body().length, icon.sha256());
    }
}
