-- Several external OpenID Connect providers (issue 12). The single provider of earlier versions (row id 'oidc') stays,
-- as the provider with id 'oidc'; ids are slugs of up to 40 characters.
ALTER TABLE identity_provider ALTER COLUMN id SET DATA TYPE VARCHAR(40);

-- Home-realm discovery: the email domains whose users go straight to a provider. A domain (IDNA ASCII, lower case) belongs
-- to one provider at most, which the primary key enforces.
CREATE TABLE identity_provider_domain (
    domain      VARCHAR(253) NOT NULL PRIMARY KEY,
    provider_id VARCHAR(40)  NOT NULL,
    CONSTRAINT fk_identity_provider_domain FOREIGN KEY (provider_id) REFERENCES identity_provider (id) ON DELETE CASCADE
);
CREATE INDEX ix_identity_provider_domain_provider ON identity_provider_domain (provider_id);

-- The provider a sign-in in flight was sent to: its callback is completed with that provider's client and keys only.
ALTER TABLE federation_request ADD COLUMN provider_id VARCHAR(40) DEFAULT 'oidc' NOT NULL;

-- Per app, the providers offered and accepted (space-separated ids); NULL: every provider.
ALTER TABLE app ADD COLUMN identity_providers VARCHAR(2000);
