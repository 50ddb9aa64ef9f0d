package dev.drawbridge.proxy.admin.domains;

import dev.drawbridge.model.api.CertificateUpload;
import dev.drawbridge.model.api.DomainSpec;
import dev.drawbridge.model.api.DomainView;
import dev.drawbridge.proxy.admin.operation.AdminRequest;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.domains.DomainStore;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.web.ValidationException;

import java.io.IOException;
import java.util.Map;

/**
 * {@code /domains}: custom domains (read with {@code CERTIFICATES_READ}; added, given a CSR or a certificate, and deleted
 * with {@code DOMAINS_WRITE}, global administrators only). Each change is audited; keys never appear in an answer or the
 * audit log.
 */
public final class DomainsApi {
    private final DomainStore domains;
    private final AuditLog audit;

    public DomainsApi(DomainStore domains, AuditLog audit) {
        this.domains = domains;
        this.audit = audit;
    }

    public Answer list(Caller caller, AdminRequest request) {
        return Answer.ok(domains.list());
    }

    public Answer get(Caller caller, AdminRequest request) throws ApiException {
        return Answer.ok(find(request));
    }

    public Answer add(Caller caller, AdminRequest request) throws ValidationException, ConflictException, IOException {
        DomainSpec spec = request.body(DomainSpec.class);
        DomainView created = domains.add(spec == null ? null : spec.name());
        audit.record(caller.subject(), "domain.add", "domain", created.id(), null, Map.of("name", created.name()));
        return Answer.created(created);
    }

    public Answer delete(Caller caller, AdminRequest request) throws ApiException, ConflictException {
        DomainView existing = find(request);
        if (!domains.delete(existing.id())) {
            throw ApiException.notFound();
        }
        audit.record(caller.subject(), "domain.delete", "domain", existing.id(), Map.of("name", existing.name()), null);
        return Answer.noContent();
    }

    public Answer csr(Caller caller, AdminRequest request) throws ApiException {
        DomainView d = domains.createCsr(find(request).id()).orElseThrow(ApiException::notFound);
        audit.record(caller.subject(), "domain.csr.create", "domain", d.id(), null, Map.of("name", d.name()));
        return Answer.ok(d);
    }

    public Answer certificate(Caller caller, AdminRequest request) throws ApiException, ValidationException, IOException {
        String id = find(request).id();
        DomainView d = domains.uploadCertificate(id, request.body(CertificateUpload.class)).orElseThrow(ApiException::notFound);
        audit.record(caller.subject(), "domain.certificate.upload", "domain", d.id(), null,
                Map.of("name", d.name(), "certificateId", d.certificateId()));
        return Answer.ok(d);
    }

    private DomainView find(AdminRequest request) throws ApiException {
        return domains.get(request.path("id")).orElseThrow(ApiException::notFound);
    }
}
