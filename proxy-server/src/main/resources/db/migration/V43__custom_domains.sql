-- Issue 12: custom domains. A domain must be added before apps are published on it (its own host, hosts under it,
-- wildcard apps *.domain). Drawbridge may create the key of its certificate and a CSR (the key sealed with the data
-- key until the issued certificate is uploaded and stored as an app certificate, tls_certificate).
CREATE TABLE custom_domain (
    id                    VARCHAR(36)   NOT NULL PRIMARY KEY,
    name                  VARCHAR(253)  NOT NULL UNIQUE,
    certificate_id        VARCHAR(36),
    csr_pem               VARCHAR(20000),
    pending_key_encrypted VARCHAR(20000),
    created_at            TIMESTAMP WITH TIME ZONE NOT NULL
);
