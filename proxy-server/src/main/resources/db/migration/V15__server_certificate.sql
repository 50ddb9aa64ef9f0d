-- The certificate of the server's sign-in host, set by a global administrator (PUT /api/v1/server-certificate).
-- Kept apart from tls_certificate (app certificates, which application administrators upload and which are never
-- served for the server's own hosts). At most one row.

CREATE TABLE server_certificate (
    id            VARCHAR(36)   NOT NULL PRIMARY KEY,
    hosts         VARCHAR(4000) NOT NULL,
    subject       VARCHAR(1000) NOT NULL,
    issuer        VARCHAR(1000) NOT NULL,
    not_before    TIMESTAMP WITH TIME ZONE NOT NULL,
    not_after     TIMESTAMP WITH TIME ZONE NOT NULL,
    fingerprint   VARCHAR(64)   NOT NULL,
    chain_pem     VARCHAR(100000) NOT NULL,
    key_encrypted VARCHAR(20000) NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
