-- Native OAuth clients, hardened (issue 9, review 9).
--
-- 1. Before V25 the token issuer accepted any client_id, so anyone (malware on a user's machine included) could have
--    minted refresh tokens under a name that an administrator registers later: registering it would make them valid.
--    Every refresh token and outstanding authorization code goes; users of native apps sign in again once.
DELETE FROM refresh_token;
DELETE FROM oauth_code;

-- 2. A client's generation: a random value, new when the client is registered (again) and on every change to it. Each
--    code and refresh token carries the generation it was issued under and is redeemed only while it is the client's,
--    so a code or refresh token written by a request in flight while the client was deleted or had something taken away
--    stays dead, even when the id is registered again or the grant or app given back. The codes and refresh tokens a
--    change still covers are moved to the new generation in the same transaction.
ALTER TABLE oauth_client ADD COLUMN generation VARCHAR(64) DEFAULT 'v26' NOT NULL;
ALTER TABLE oauth_code ADD COLUMN client_generation VARCHAR(64) DEFAULT '' NOT NULL;
ALTER TABLE refresh_token ADD COLUMN client_generation VARCHAR(64) DEFAULT '' NOT NULL;

-- 3. A family: the code and every refresh token descended from it. Presenting a used code or an already rotated refresh
--    token (a replay: one of the two holders is not the app) revokes the whole family (RFC 9700 §4.14.2).
ALTER TABLE oauth_code ADD COLUMN family_id VARCHAR(64) DEFAULT '' NOT NULL;
ALTER TABLE refresh_token ADD COLUMN family_id VARCHAR(64) DEFAULT '' NOT NULL;
CREATE INDEX refresh_token_family ON refresh_token (family_id);
CREATE INDEX refresh_token_client ON refresh_token (client_id);
CREATE INDEX oauth_code_client ON oauth_code (client_id);
