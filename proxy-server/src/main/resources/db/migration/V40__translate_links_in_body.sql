-- Issue 12: an app may have the published apps' internal URLs in its HTML and CSS responses translated to their
-- external URLs (Entra's "Translate URLs in application body"); off unless an admin turns it on.
ALTER TABLE app ADD COLUMN translate_links_in_body BOOLEAN DEFAULT FALSE NOT NULL;
