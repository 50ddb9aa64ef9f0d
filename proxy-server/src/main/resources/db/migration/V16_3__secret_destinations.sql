-- The token endpoint the OIDC client secret was first sent to, learned from the issuer's discovery document after
-- the secret was entered. Should discovery later name another endpoint, the secret is not sent there until an
-- administrator enters it again (null: not learned yet).
ALTER TABLE identity_provider ADD COLUMN secret_token_endpoint VARCHAR(2000);
