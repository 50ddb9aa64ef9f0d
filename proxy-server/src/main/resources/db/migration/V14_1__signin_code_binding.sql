-- Issue 8 (edge): a one-time sign-in code is bound to the browser that started the sign-in (the SHA-256 of the
-- nonce cookie the app host set); the callback redeems it only in that browser. Codes from before have none.
ALTER TABLE auth_code ADD COLUMN browser_binding VARCHAR(64) DEFAULT '' NOT NULL;
