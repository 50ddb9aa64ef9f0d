package dev.drawbridge.adminclient;

import dev.drawbridge.model.api.CertificateUpload;
import dev.drawbridge.model.api.DomainSpec;
import dev.drawbridge.model.api.DomainView;

import java.util.List;

/**
 * {@code /domains}: custom domains apps may be published on, with the DNS records to create and their certificates.
 * Reading needs CERTIFICATES_READ; every change DOMAINS_WRITE (global administrators only).
 */
public interface Domains {
    @Operation(method = "GET", path = "domains")
    List<DomainView> list() throws AdminClientException;

    @Operation(method = "POST", path = "domains")
    DomainView add(DomainSpec spec) throws AdminClientException;

    @Operation(method = "GET", path = "domains/{id}")
    DomainView get(String id) throws AdminClientException;

    /** Removes a domain; refused (409) while apps are published on it. */
    @Operation(method = "DELETE", path = "domains/{id}")
    void delete(String id) throws AdminClientException;

    /** Has the server create a key and a certificate signing request; the answer carries {@code csrPem}. */
    @Operation(method = "POST", path = "domains/{id}/csr")
    DomainView createCsr(String id) throws AdminClientException;

    /** The domain's certificate: chain and key, or the chain issued for the pending CSR alone. */
    @Operation(method = "PUT", path = "domains/{id}/certificate")
    DomainView uploadCertificate(String id, CertificateUpload upload) throws AdminClientException;
}
