package dev.drawbridge.proxy.admin.apps;

import dev.drawbridge.model.api.AdminRole.Permission;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.SsoPreviewRequest;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.proxy.admin.directory.DirectoryViews;
import dev.drawbridge.proxy.admin.operation.AdminRequest;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.apps.AppService;
import dev.drawbridge.proxy.apps.AppStore;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.sso.preview.SsoPreviews;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.web.ValidationException;

import java.io.IOException;
import java.util.List;

/**
 * {@code POST /apps/{id}/sso/preview} ("test as user"): what the app's backend would receive from single sign-on for one
 * user, named by id or UPN, and why it would be refused or incomplete for them ({@link SsoPreviews}), for the app's
 * stored settings or for a draft in the body, which is checked exactly as {@code PUT /apps/{id}/sso} checks it (400
 * naming each field, 409 naming {@code method} for an app without pre-authentication) and stored nowhere. A read: not
 * audited, nothing logged (the answer holds the user's attributes). Needs {@code APPS_READ} and, since it shows a user's
 * attributes and groups, {@code DIRECTORY_READ} (every role with the first has the second; checked here too). The
 * connector group's side (Kerberos realm and settings, connectors' state) only with {@code CONNECTORS_READ}, which
 * guards it on its own routes: without it, one sentence says it is withheld ({@link SsoPreviews#CONNECTOR_DETAILS_WITHHELD}).
 */
public final class AppSsoPreviewApi {
    private final AppStore apps;
    private final AppService service;
    private final DirectoryStore directory;
    private final SsoPreviews previews;

    public AppSsoPreviewApi(AppStore apps, AppService service, DirectoryStore directory, SsoPreviews previews) {
        this.apps = apps;
        this.service = service;
        this.directory = directory;
        this.previews = previews;
    }

    public Answer preview(Caller caller, AdminRequest request) throws ApiException, ValidationException, ConflictException, IOException {
        // The route asks for APPS_READ; the user's attributes are the directory's too: neither alone may read them here.
        if (!caller.may(Permission.APPS_READ) || !caller.may(Permission.DIRECTORY_READ)) {
            throw new ApiException(403, "Forbidden",
                    "previewing single sign-on needs the APPS_READ and DIRECTORY_READ permissions (it shows a user's attributes)");
        }
        PublishedApp app = apps.find(request.path("id")).orElseThrow(ApiException::notFound);
        SsoPreviewRequest body = request.body(SsoPreviewRequest.class);
        SsoSettings settings = body.settings() == null ? app.sso() : body.settings();
        if (body.settings() != null) {
            service.checkSso(app, settings);
        }
        String named = body.user() == null ? "" : body.user().strip();
        String shown = named.length() > 100 ? named.substring(0, 100) + "..." : named;
        DirectoryUser user = DirectoryViews.lookup(directory, named).orElseThrow(() -> new ApiException(new Problem("about:blank",
                "Not found", 404, "no user with id or UPN '" + shown + "'",
                List.of(new Problem.FieldError("user", "no user with id or UPN '" + shown + "'")))));
        return Answer.ok(previews.of(app.withSso(settings), user, caller.may(Permission.CONNECTORS_READ)));
    }
}
