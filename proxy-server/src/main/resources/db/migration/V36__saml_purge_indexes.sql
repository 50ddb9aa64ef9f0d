-- The SAML identity provider purges old requests and expired responses (review of issue 10): by these columns.
CREATE INDEX ix_saml_request_created ON saml_request (created_at);
CREATE INDEX ix_saml_response_expires ON saml_response (expires_at);
