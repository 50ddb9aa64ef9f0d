package dev.drawbridge.proxy.admin.connectors;

import dev.drawbridge.model.api.ConnectorUpdateView;
import dev.drawbridge.proxy.admin.operation.AdminRequest;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.update.BundleUploads;
import dev.drawbridge.proxy.update.UpdateStore;

import java.io.IOException;
import java.util.Optional;

/**
 * {@code /connector-updates}: the connector update bundles the server hosts (list; upload an {@code application/zip} body,
 * checked and signed; delete one no group pins and no connector is updating to). Uploads and deletions are audited.
 */
public final class ConnectorUpdatesApi {
    private final UpdateStore store;
    private final BundleUploads uploads;
    private final AuditLog audit;

    public ConnectorUpdatesApi(UpdateStore store, BundleUploads uploads, AuditLog audit) {
        this.store = store;
        this.uploads = uploads;
        this.audit = audit;
    }

    /** Highest version first. */
    public Answer list(Caller caller, AdminRequest request) {
        return Answer.ok(store.list().stream().map(UpdateStore.Bundle::view).toList());
    }

    public Answer upload(Caller caller, AdminRequest request) throws ApiException, ConflictException, IOException {
        ConnectorUpdateView view;
        try {
            view = uploads.upload(request.header("Content-Type").orElse(null), contentLength(request), request.stream(),
                    caller.subject());
        } catch (BundleUploads.Refused e) {
            throw new ApiException(e.status(), e.title(), e.getMessage());
        }
        audit.record(caller.subject(), "connector-update.upload", "connector-update", view.version(), null, view);
        return Answer.created(view);
    }

    public Answer delete(Caller caller, AdminRequest request) throws ApiException, ConflictException {
        String version = request.path("version");
        ConnectorUpdateView before = store.find(version).map(UpdateStore.Bundle::view).orElseThrow(ApiException::notFound);
        if (!store.delete(version)) {
            throw ApiException.notFound();
        }
        audit.record(caller.subject(), "connector-update.delete", "connector-update", version, before, null);
        return Answer.noContent();
    }

    private static Optional<Long> contentLength(AdminRequest request) {
        try {
            return request.header("Content-Length").map(s -> Long.parseLong(s.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
