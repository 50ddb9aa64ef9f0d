-- Issue 14 (signing-key rotation across nodes), PostgreSQL only (see V47): a change to the cluster's shared secrets, a
-- rotation of the signing key sets on any node, notifies 'secrets' at commit; every node re-reads the sets
-- (dev.drawbridge.proxy.keys.SigningKeys.reload) and sends the new SSO public keys to its connectors before the new key
-- signs. The periodic reload (5 s) stays the fallback. docs/security.md, "Signing keys and their rotation".
CREATE TRIGGER cluster_secret_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON cluster_secret
    FOR EACH STATEMENT EXECUTE FUNCTION drawbridge_notify_change('secrets');
