-- Issue 14 (propagation between nodes), PostgreSQL only: this folder is migrated by Database.postgres alone, never on
-- embedded H2 (one node, nothing to tell) and never read by jOOQ's code generation (db/migration only).
--
-- Every change to what a node holds in memory, or must act on at once, notifies the channel drawbridge_changes with
-- '<schema>:<topic>' when its transaction commits (PostgreSQL delivers NOTIFY at commit, never for a rolled-back
-- change, and folds identical notifications of one transaction into one). Each node LISTENs on one connection and
-- reloads what the topic names (dev.drawbridge.proxy.propagation.Topic and NodeReloads: the one topic-to-reload map).
-- Triggers rather than notifications sent by the stores: every writer notifies, whichever node, version or tool it is
-- (a cascade, an LDAP sync, SQL typed by an operator), and a store cannot forget to. docs/scale-out.md,
-- "Propagation between nodes".
--
-- Only what matters fires: the heartbeat's connector.last_seen_at, a sign-in's failed-attempt counters and the logs never
-- do. A table added later whose changes a node caches needs its trigger here (a new PostgreSQL-only migration) and its
-- topic in Topic.
CREATE FUNCTION drawbridge_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('drawbridge_changes', TG_TABLE_SCHEMA || ':' || TG_ARGV[0]);
    RETURN NULL;
END
$$;

-- apps: the route table (and the streams held open on an app that changed or went).
CREATE TRIGGER app_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON app
    FOR EACH STATEMENT EXECUTE FUNCTION drawbridge_notify_change('apps');

-- path_rules: the apps' path rules.
CREATE TRIGGER app_path_policy_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON app_path_policy
    FOR EACH STATEMENT EXECUTE FUNCTION drawbridge_notify_change('path_rules');

-- policies: conditional access and the named locations it reads.
CREATE TRIGGER access_policy_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON access_policy
    FOR EACH STATEMENT EXECUTE FUNCTION drawbridge_notify_change('policies');
CREATE TRIGGER named_location_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON named_location
    FOR EACH STATEMENT EXECUTE FUNCTION drawbridge_notify_change('policies');

-- directory: who may still hold what is open (a request reads the directory itself; open WebSockets and streams are
-- rechecked). A user's standing: disabled, deleted, sessions revoked; assignments; group memberships (direct, dynamic,
-- synced); and what conditional access matches a user by besides ids (ConditionalAccess.Context): the user's UPN and
-- the groups' names (a user or a group renamed into a blocking policy's list). Not a sign-in's counters, a lockout, a
-- profile edit, a group's description.
CREATE TRIGGER directory_user_standing_notify AFTER UPDATE OF enabled, sessions_valid_after, upn ON directory_user
    FOR EACH ROW WHEN (OLD.enabled IS DISTINCT FROM NEW.enabled OR OLD.sessions_valid_after IS DISTINCT FROM NEW.sessions_valid_after
        OR OLD.upn IS DISTINCT FROM NEW.upn)
    EXECUTE FUNCTION drawbridge_notify_change('directory');
CREATE TRIGGER directory_group_name_notify AFTER UPDATE OF name ON directory_group
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION drawbridge_notify_change('directory');
CREATE TRIGGER directory_user_removed_notify AFTER DELETE OR TRUNCATE ON directory_user
    FOR EACH STATEMENT EXECUTE FUNCTION drawbridge_notify_change('directory');
CREATE TRIGGER app_assignment_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON app_assignment
    FOR EACH STATEMENT EXECUTE FUNCTION drawbridge_notify_change('directory');
CREATE TRIGGER group_member_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON group_member
    FOR EACH STATEMENT EXECUTE FUNCTION drawbridge_notify_change('directory');

-- connectors: a connector's standing (revoked, removed, re-issued, moved), which the tunnels it holds here must follow.
CREATE TRIGGER connector_standing_notify
    AFTER UPDATE OF connector_group_id, cert_serial, revoked_at, previous_cert_serial, previous_cert_valid_until ON connector
    FOR EACH ROW WHEN (OLD.connector_group_id IS DISTINCT FROM NEW.connector_group_id OR OLD.cert_serial IS DISTINCT FROM NEW.cert_serial
        OR OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.previous_cert_serial IS DISTINCT FROM NEW.previous_cert_serial
        OR OLD.previous_cert_valid_until IS DISTINCT FROM NEW.previous_cert_valid_until)
    EXECUTE FUNCTION drawbridge_notify_change('connectors');
CREATE TRIGGER connector_removed_notify AFTER DELETE OR TRUNCATE ON connector
    FOR EACH STATEMENT EXECUTE FUNCTION drawbridge_notify_change('connectors');

-- maintenance: connector groups in maintenance mode.
CREATE TRIGGER connector_group_maintenance_notify AFTER UPDATE OF maintenance_since, maintenance_message ON connector_group
    FOR EACH ROW WHEN (OLD.maintenance_since IS DISTINCT FROM NEW.maintenance_since
        OR OLD.maintenance_message IS DISTINCT FROM NEW.maintenance_message)
    EXECUTE FUNCTION drawbridge_notify_change('maintenance');
CREATE TRIGGER connector_group_removed_notify AFTER DELETE OR TRUNCATE ON connector_group
    FOR EACH STATEMENT EXECUTE FUNCTION drawbridge_notify_change('maintenance');

-- group_configs: the connector groups' Kerberos settings, sent to their connectors over the tunnels.
CREATE TRIGGER connector_group_kerberos_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON connector_group_kerberos
    FOR EACH STATEMENT EXECUTE FUNCTION drawbridge_notify_change('group_configs');

-- certificates: the uploaded certificates served by SNI, and the server certificate.
CREATE TRIGGER tls_certificate_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tls_certificate
    FOR EACH STATEMENT EXECUTE FUNCTION drawbridge_notify_change('certificates');
CREATE TRIGGER server_certificate_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON server_certificate
    FOR EACH STATEMENT EXECUTE FUNCTION drawbridge_notify_change('certificates');
