-- Issue 8 (edge): an app whose backend treats paths in any letter case alike (IIS) is matched so too.
ALTER TABLE app ADD COLUMN case_insensitive_paths BOOLEAN DEFAULT FALSE NOT NULL;
