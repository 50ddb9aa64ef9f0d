-- Why a user is disabled: by an administrator (wins over everything: directory sync never re-enables), or
-- in the directory they are synced from (gone from LDAP). enabled stays the effective state: neither is set.
ALTER TABLE directory_user ADD COLUMN disabled_by_admin BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE directory_user ADD COLUMN disabled_in_directory BOOLEAN DEFAULT FALSE NOT NULL;

-- Who is disabled today cannot tell why: take it as an administrator's decision, so that no sync revives them.
UPDATE directory_user SET disabled_by_admin = TRUE WHERE enabled = FALSE;
