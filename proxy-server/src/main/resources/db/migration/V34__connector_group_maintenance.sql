-- Maintenance mode per connector group (issue 11): while maintenance_since is set, no new request goes to the group's
-- connectors (in-flight ones finish) and its apps answer a maintenance page with maintenance_message.
ALTER TABLE connector_group ADD COLUMN maintenance_since TIMESTAMP WITH TIME ZONE;
ALTER TABLE connector_group ADD COLUMN maintenance_message VARCHAR(500);
