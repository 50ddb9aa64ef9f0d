-- SAML settings may hold a service provider's certificate and up to 50 attributes with long names (SamlRules): their
-- JSON outgrows the 20,000 characters app.sso_settings had (about 80,000 at most).
ALTER TABLE app ALTER COLUMN sso_settings SET DATA TYPE VARCHAR(100000);
