-- Issue 10 (single sign-on to backends): an app's single sign-on method and its settings (no secret), as the JSON of
-- dev.drawbridge.model.api.SsoSettings; NULL is no single sign-on.
ALTER TABLE app ADD COLUMN sso_settings VARCHAR(20000);
