-- Issue 10 (Kerberos constrained delegation): a connector group's Kerberos settings. The keytab is AES-GCM encrypted
-- with the data key; version changes on every change, so each tunnel is sent the settings again only when they change.
CREATE TABLE connector_group_kerberos (
    group_id           VARCHAR(36)   NOT NULL PRIMARY KEY,
    realm              VARCHAR(200)  NOT NULL,
    kdcs               VARCHAR(3000) NOT NULL,
    service_principal  VARCHAR(500)  NOT NULL,
    keytab_encrypted   VARCHAR(100000) NOT NULL,
    version            VARCHAR(36)   NOT NULL,
    updated_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT fk_kerberos_group FOREIGN KEY (group_id) REFERENCES connector_group (id) ON DELETE CASCADE
);
