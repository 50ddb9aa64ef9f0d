package dev.drawbridge.console;

import dev.drawbridge.adminclient.AdminApiException;
import dev.drawbridge.adminclient.Domains;
import dev.drawbridge.model.api.CertificateUpload;
import dev.drawbridge.model.api.DnsRecord;
import dev.drawbridge.model.api.DomainSpec;
import dev.drawbridge.model.api.DomainStatus;
import dev.drawbridge.model.api.DomainView;

import java.time.Instant;
import java.util.List;

/** {@code /domains} of {@link FakeAdminApi}: kept in {@link FakeAdminApi#domains}, every call recorded. */
final class FakeDomains implements Domains {
    static final String CSR = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n";
    private final FakeAdminApi f;

    FakeDomains(FakeAdminApi f) {
        this.f = f;
    }

    static DomainView domain(String id, String name, DomainStatus status, String csr) {
        return new DomainView(id, name, status, List.of(new DnsRecord("*." + name, "CNAME", "login.example.com")), "", csr, List.of(),
                Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Override
    public List<DomainView> list() throws AdminApiException {
        f.record("domains.list");
        return List.copyOf(f.domains.values());
    }

    @Override
    public DomainView add(DomainSpec spec) throws AdminApiException {
        f.record("domains.add", spec);
        DomainView d = domain("d" + (f.domains.size() + 1), spec.name(), DomainStatus.CERTIFICATE_MISSING, "");
        f.domains.put(d.id(), d);
        return d;
    }

    @Override
    public DomainView get(String id) throws AdminApiException {
        f.record("domains.get", id);
        return FakeAdminApi.found(f.domains.get(id));
    }

    @Override
    public void delete(String id) throws AdminApiException {
        f.record("domains.delete", id);
        FakeAdminApi.found(f.domains.remove(id));
    }

    @Override
    public DomainView createCsr(String id) throws AdminApiException {
        f.record("domains.csr", id);
        DomainView d = domain(id, FakeAdminApi.found(f.domains.get(id)).name(), DomainStatus.CSR_PENDING, CSR);
        f.domains.put(id, d);
        return d;
    }

    @Override
    public DomainView uploadCertificate(String id, CertificateUpload upload) throws AdminApiException {
        f.record("domains.certificate", id, upload);
        DomainView d = domain(id, FakeAdminApi.found(f.domains.get(id)).name(), DomainStatus.READY, "");
        f.domains.put(id, d);
        return d;
    }
}
