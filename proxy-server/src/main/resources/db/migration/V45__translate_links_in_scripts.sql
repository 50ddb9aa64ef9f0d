-- Issue 12, beyond Entra: an app that translates links in its bodies may have them translated also in the string
-- literals of its JavaScript and JSON responses; off unless an admin turns it on.
ALTER TABLE app ADD COLUMN translate_links_in_scripts BOOLEAN DEFAULT FALSE NOT NULL;
