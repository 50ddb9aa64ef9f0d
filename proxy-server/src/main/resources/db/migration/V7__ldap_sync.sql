-- Directory sync from LDAP / Active Directory: where users and groups come from, and the sync settings.

ALTER TABLE directory_user ADD COLUMN source VARCHAR(16) DEFAULT 'LOCAL' NOT NULL;
ALTER TABLE directory_user ADD COLUMN external_id VARCHAR(1000);
ALTER TABLE directory_group ADD COLUMN source VARCHAR(16) DEFAULT 'LOCAL' NOT NULL;
ALTER TABLE directory_group ADD COLUMN external_id VARCHAR(1000);

CREATE TABLE directory_sync (
    id          VARCHAR(16)    NOT NULL PRIMARY KEY,
    body        VARCHAR(20000) NOT NULL,
    last_run_at TIMESTAMP WITH TIME ZONE,
    last_result VARCHAR(2000)
);
