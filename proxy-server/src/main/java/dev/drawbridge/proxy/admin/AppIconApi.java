package dev.drawbridge.proxy.admin;

import dev.drawbridge.model.api.AppIconView;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.apps.AppIcons;
import dev.drawbridge.proxy.apps.AppService;
import dev.drawbridge.proxy.apps.ValidationException;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.web.Responses;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.InputStream;

/**
 * {@code /apps/{id}/icon} of the admin API: PUT an image/png or image/svg+xml body (at most 256 KiB,
 * checked by its bytes), GET it back, DELETE it. My Apps shows it; the audit log keeps its type,
 * size and hash.
 */
public final class AppIconApi {
    private final AppIcons icons;
    private final AppService apps;
    private final AuditLog audit;

    public AppIconApi(AppIcons icons, AppService apps, AuditLog audit) {
        this.icons = icons;
        this.apps = apps;
        this.audit = audit;
    }

    void route(String method, String appId, Request request, Response response, Callback callback)
            throws ApiException, ValidationException, IOException {
        if (apps.get(appId).isEmpty()) {
            throw ApiException.notFound();
        }
        switch (method) {
            case "GET" -> {
                AppIcons.Icon icon = icons.find(appId).orElseThrow(ApiException::notFound);
                response.getHeaders().put("X-Content-Type-Options", "nosniff");
                response.getHeaders().put("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox");
                Responses.write(response, callback, 200, icon.contentType(), icon.body());
            }
            case "PUT" -> {
                byte[] body;
                try (InputStream in = Content.Source.asInputStream(request)) {
                    body = in.readNBytes(AppIcons.MAX_BYTES + 1);
                }
                AppIcons.Icon icon = AppIcons.validate(request.getHeaders().get("Content-Type"), body);
                Object before = icons.find(appId).map(AppIconApi::summary).orElse(null);
                icons.save(appId, icon);
                audit.record(AdminApiHandler.actor(), "app.icon.update", "app", appId, before, summary(icon));
                Responses.json(response, callback, 200, summary(icon));
            }
            case "DELETE" -> {
                Object before = icons.find(appId).map(AppIconApi::summary).orElseThrow(ApiException::notFound);
                icons.delete(appId);
                audit.record(AdminApiHandler.actor(), "app.icon.delete", "app", appId, before, null);
                response.setStatus(204);
                response.getHeaders().put(Responses.GENERATED_HEADER, "true");
                callback.succeeded();
            }
            default -> throw ApiException.notAllowed();
        }
    }

    private static AppIconView summary(AppIcons.Icon icon) {
        return new AppIconView(icon.contentType(), icon.body().length, icon.sha256());
    }
}
