package dev.drawbridge.proxy.admin.certificates;

import dev.drawbridge.model.api.CertificateUpload;
import dev.drawbridge.model.api.CertificateView;
import dev.drawbridge.proxy.admin.operation.AdminRequest;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.pki.ServerCertificateStore;
import dev.drawbridge.proxy.web.ValidationException;

import java.io.IOException;

/**
 * {@code /server-certificate}: the sign-in host's certificate (GET with {@code CERTIFICATES_READ}; PUT and DELETE with
 * {@code SERVER_CERTIFICATES_WRITE}, global administrators only). Apart from {@code /certificates} (app certificates,
 * which never cover the server's own hosts). Changes go to the audit log without the key.
 */
public final class ServerCertificateApi {
    private final ServerCertificateStore store;
    private final AuditLog audit;

    public ServerCertificateApi(ServerCertificateStore store, AuditLog audit) {
        this.store = store;
        this.audit = audit;
    }

    public Answer get(Caller caller, AdminRequest request) throws ApiException {
        return Answer.ok(store.get().orElseThrow(() -> new ApiException(404, "Not found",
                "no server certificate is set; the sign-in host presents the server CA's certificate")));
    }

    public Answer set(Caller caller, AdminRequest request) throws ValidationException, IOException {
        CertificateView before = store.get().orElse(null);
        CertificateView after = store.put(request.body(CertificateUpload.class));
        audit.record(caller.subject(), "server-certificate.set", "server-certificate", after.id(), before, after);
        return Answer.ok(after);
    }

    public Answer delete(Caller caller, AdminRequest request) throws ApiException {
        CertificateView before = store.get().orElseThrow(ApiException::notFound);
        store.delete();
        audit.record(caller.subject(), "server-certificate.delete", "server-certificate", before.id(), before, null);
        return Answer.noContent();
    }
}
