-- Directory sync through a connector: the connector group whose connectors reach the LDAP server
-- (null: the server connects to it directly). A group in use cannot be deleted.

ALTER TABLE directory_sync ADD COLUMN connector_group_id VARCHAR(36);
ALTER TABLE directory_sync ADD CONSTRAINT fk_directory_sync_group FOREIGN KEY (connector_group_id) REFERENCES connector_group (id);
