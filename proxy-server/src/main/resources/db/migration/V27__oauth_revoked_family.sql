-- Native OAuth clients, hardened (issue 9, review 10).
--
-- 1. A family revoked for a replay is recorded. Marking a code or refresh token used and writing its successor are two
--    statements, so the replay's revocation can run between them; deleting the family's rows alone would leave the
--    successor written after it alive. No code or refresh token of a family listed here is redeemed (checked in the
--    statement that marks it used), and no successor is written to one. A row stays while any code or refresh token of
--    its family is left (each goes at its expires_at).
CREATE TABLE oauth_revoked_family (
    family_id  VARCHAR(64) NOT NULL PRIMARY KEY,
    revoked_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- 2. Codes and refresh tokens past their expires_at are purged (used ones are kept until then: a replay is detected by
--    its row).
CREATE INDEX oauth_code_expires ON oauth_code (expires_at);
CREATE INDEX oauth_code_family ON oauth_code (family_id);
CREATE INDEX refresh_token_expires ON refresh_token (expires_at);
