package dev.drawbridge.proxy.admin.certificates;

import dev.drawbridge.model.api.CertificateUpload;
import dev.drawbridge.model.api.CertificateView;
import dev.drawbridge.proxy.admin.operation.AdminRequest;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.pki.CertificateStore;
import dev.drawbridge.proxy.web.ValidationException;

import java.io.IOException;

/**
 * {@code /certificates}: app certificates for custom domains. An upload (PEM chain and key, or PKCS#12 and its password)
 * any of whose names covers the admin or sign-in host is refused by {@link CertificateStore}.
 */
public final class CertificatesApi {
    private final CertificateStore certificates;
    private final AuditLog audit;

    public CertificatesApi(CertificateStore certificates, AuditLog audit) {
        this.certificates = certificates;
        this.audit = audit;
    }

    public Answer list(Caller caller, AdminRequest request) {
        return Answer.ok(certificates.list());
    }

    public Answer upload(Caller caller, AdminRequest request) throws ValidationException, IOException {
        CertificateView created = certificates.add(request.body(CertificateUpload.class));
        audit.record(caller.subject(), "certificate.upload", "certificate", created.id(), null, created);
        return Answer.created(created);
    }

    public Answer get(Caller caller, AdminRequest request) throws ApiException {
        return Answer.ok(find(request));
    }

    public Answer delete(Caller caller, AdminRequest request) throws ApiException {
        CertificateView existing = find(request);
        if (!certificates.delete(existing.id())) {
            throw ApiException.notFound();
        }
        audit.record(caller.subject(), "certificate.delete", "certificate", existing.id(), existing, null);
        return Answer.noContent();
    }

    private CertificateView find(AdminRequest request) throws ApiException {
        return certificates.get(request.path("id")).orElseThrow(ApiException::notFound);
    }
}
