-- Foundation schema: connector groups, connectors, registration tokens, published apps.
-- Runs unchanged on H2 (MODE=PostgreSQL) and PostgreSQL.

CREATE TABLE connector_group (
    id          VARCHAR(36)  NOT NULL PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT uq_connector_group_name UNIQUE (name)
);

CREATE TABLE app (
    id                    VARCHAR(36)   NOT NULL PRIMARY KEY,
    name                  VARCHAR(200)  NOT NULL,
    external_url          VARCHAR(2000) NOT NULL,
    external_host         VARCHAR(253)  NOT NULL,
    external_path         VARCHAR(1000) NOT NULL,
    internal_url          VARCHAR(2000) NOT NULL,
    connector_group_id    VARCHAR(36)   NOT NULL,
    backend_timeout       VARCHAR(16)   NOT NULL,
    translate_host_header BOOLEAN       NOT NULL,
    preauth               VARCHAR(32)   NOT NULL,
    created_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT uq_app_name UNIQUE (name),
    CONSTRAINT uq_app_external UNIQUE (external_host, external_path),
    CONSTRAINT fk_app_group FOREIGN KEY (connector_group_id) REFERENCES connector_group (id)
);

CREATE TABLE connector (
    id                 VARCHAR(36)  NOT NULL PRIMARY KEY,
    connector_group_id VARCHAR(36)  NOT NULL,
    host_name          VARCHAR(253) NOT NULL,
    version            VARCHAR(64)  NOT NULL,
    cert_serial        VARCHAR(64)  NOT NULL,
    cert_not_after     TIMESTAMP WITH TIME ZONE NOT NULL,
    registered_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at       TIMESTAMP WITH TIME ZONE,
    revoked_at         TIMESTAMP WITH TIME ZONE,
    CONSTRAINT uq_connector_serial UNIQUE (cert_serial),
    CONSTRAINT fk_connector_group FOREIGN KEY (connector_group_id) REFERENCES connector_group (id)
);

CREATE TABLE registration_token (
    id                 VARCHAR(36) NOT NULL PRIMARY KEY,
    token_hash         VARCHAR(64) NOT NULL,
    connector_group_id VARCHAR(36) NOT NULL,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at            TIMESTAMP WITH TIME ZONE,
    CONSTRAINT uq_registration_token_hash UNIQUE (token_hash),
    CONSTRAINT fk_registration_token_group FOREIGN KEY (connector_group_id) REFERENCES connector_group (id)
);
