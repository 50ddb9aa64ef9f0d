-- Dynamic groups: membership follows a rule over user attributes (materialized into group_member).
ALTER TABLE directory_group ADD COLUMN membership_rule VARCHAR(1000);
