package dev.drawbridge.proxy.propagation;

import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.PostgresTestDatabase;
import dev.drawbridge.proxy.tunnel.ConnectorStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The triggers of V47 (PostgreSQL only) by class of write: every change a node must follow notifies its topic once
 * per transaction, whoever makes it (plain SQL here, no store); the writes of the hot paths (heartbeats, sign-in
 * counters, logs, registrations, new users) and rolled-back changes notify nothing. Each case ends with a fence
 * notification from the same writer, so what came before the fence is exactly what the case notified.
 */
class ChangeNotificationsTest {
    /** In SQL, {@code {name}} stands for the name made unique to the test (the tests share one migrated database). */
    private static final Pattern NAME = Pattern.compile("\\{([A-Za-z][\\w-]*)}");
    private static Database db;
    private static Connection listener;
    private static Connection writer;
    private static int fences;
    private static int tests;
    private String prefix;

    @BeforeAll
    static void migrate() throws Exception {
        db = PostgresTestDatabase.fresh();
        listener = db.dataSource().getConnection();
        try (Statement s = listener.createStatement()) {
            s.execute("LISTEN " + ChangeListener.CHANNEL);
        }
        writer = db.dataSource().getConnection();
    }

    @AfterAll
    static void stop() throws Exception {
        if (db != null) { // null when skipped (no DRAWBRIDGE_TEST_PG_URL)
            listener.close();
            writer.close();
            db.close();
        }
    }

    @BeforeEach
    void start() throws Exception {
        prefix = "t" + ++tests + "-";
        // What the cases below build on, made before listening counts.
        sql("INSERT INTO connector_group (id, name, created_at) VALUES ('{g1}', '{Default}', now()), ('{g2}', '{Branch}', now())",
                "INSERT INTO app (id, name, external_url, external_host, external_path, internal_url, connector_group_id, backend_timeout,"
                        + " translate_host_header, preauth, created_at, updated_at) VALUES ('{a1}', '{HR}', 'https://{hr}.localhost/', '{hr}.localhost',"
                        + " '/', 'http://hr.corp/', '{g1}', 'DEFAULT', true, 'DIRECTORY', now(), now())",
                "INSERT INTO directory_user (id, upn, display_name, enabled, failed_attempts, sessions_valid_after, created_at, updated_at)"
                        + " VALUES ('{u1}', '{ann}@corp', 'Ann', true, 0, now(), now(), now())",
                "INSERT INTO directory_group (id, name, created_at) VALUES ('{grp1}', '{Staff}', now())",
                "INSERT INTO connector (id, connector_group_id, host_name, version, cert_serial, cert_not_after, registered_at)"
                        + " VALUES ('{c1}', '{g1}', 'gw1', '1.0', '{serial-1}', now() + interval '1 year', now())");
        notifiedBy();
    }

    private String named(String sql) {
        return NAME.matcher(sql).replaceAll(m -> Matcher.quoteReplacement(prefix + m.group(1)));
    }

    @Test
    void everyChangeANodeFollowsNotifiesItsTopic() throws Exception {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("UPDATE app SET internal_url = 'http://hr2.corp/' WHERE id = '{a1}'", "apps");
        cases.put("INSERT INTO app_path_policy (app_id, path) VALUES ('{a1}', '/admin')", "path_rules");
        cases.put("INSERT INTO access_policy (id, name, body) VALUES ('{p1}', '{Block}', '{}')", "policies");
        cases.put("INSERT INTO named_location (id, name, body) VALUES ('{l1}', '{Office}', '{}')", "policies");
        cases.put("UPDATE named_location SET body = '{\"x\":1}' WHERE id = '{l1}'", "policies");
        cases.put("DELETE FROM access_policy WHERE id = '{p1}'", "policies");
        cases.put("INSERT INTO app_assignment (app_id, principal_type, principal_id, created_at) VALUES ('{a1}', 'USER', '{u1}', now())", "directory");
        cases.put("INSERT INTO group_member (group_id, user_id) VALUES ('{grp1}', '{u1}')", "directory");
        cases.put("DELETE FROM group_member WHERE user_id = '{u1}'", "directory");
        cases.put("DELETE FROM app_assignment WHERE principal_id = '{u1}'", "directory");
        cases.put("UPDATE directory_user SET enabled = false WHERE id = '{u1}'", "directory");
        cases.put("UPDATE directory_user SET sessions_valid_after = now() + interval '1 second' WHERE id = '{u1}'", "directory");
        cases.put("UPDATE connector SET revoked_at = now() WHERE id = '{c1}'", "connectors");
        cases.put("UPDATE connector SET connector_group_id = '{g2}' WHERE id = '{c1}'", "connectors");
        cases.put("UPDATE connector SET cert_serial = '{serial-2}', previous_cert_serial = '{serial-1}', previous_cert_valid_until = now()"
                + " WHERE id = '{c1}'", "connectors");
        cases.put("DELETE FROM connector WHERE id = '{c1}'", "connectors");
        cases.put("UPDATE connector_group SET maintenance_since = now(), maintenance_message = 'Back at 10' WHERE id = '{g2}'", "maintenance");
        cases.put("UPDATE connector_group SET maintenance_message = 'Back at 11' WHERE id = '{g2}'", "maintenance");
        cases.put("INSERT INTO connector_group_kerberos (group_id, realm, kdcs, service_principal, keytab_encrypted, version, updated_at)"
                + " VALUES ('{g2}', 'CORP', 'kdc', 'HTTP/gw', 'sealed', 'v1', now())", "group_configs");
        cases.put("INSERT INTO tls_certificate (id, hosts, subject, issuer, not_before, not_after, fingerprint, chain_pem, key_encrypted,"
                + " created_at) VALUES ('{t1}', 'x', 's', 'i', now(), now(), 'f', 'pem', 'k', now())", "certificates");
        cases.put("INSERT INTO server_certificate (id, hosts, subject, issuer, not_before, not_after, fingerprint, chain_pem, key_encrypted,"
                + " created_at) VALUES ('{s1}', 'x', 's', 'i', now(), now(), 'f', 'pem', 'k', now())", "certificates");
        cases.put("DELETE FROM directory_user WHERE id = '{u1}'", "directory");
        cases.put("INSERT INTO cluster_secret (name, key_id, sealed, updated_at) VALUES ('{k1}', '0123456789abcdef', 'x', now())", "secrets");
        cases.put("UPDATE cluster_secret SET sealed = 'y' WHERE name = '{k1}'", "secrets");
        cases.put("DELETE FROM cluster_secret WHERE name = '{k1}'", "secrets");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            sql(c.getKey());
            assertThat(notifiedBy()).as(named(c.getKey())).containsExactly("public:" + c.getValue());
        }

        // A group removed takes its Kerberos settings with it (a cascade): both topics.
        sql("DELETE FROM connector_group WHERE id = '{g2}'");
        assertThat(notifiedBy()).containsExactlyInAnyOrder("public:maintenance", "public:group_configs");
    }

    @Test
    void whatConditionalAccessMatchesAUserByNotifies() throws Exception {
        // A policy names its users by id, UPN or group name (ConditionalAccess.Context): a user renamed into a blocking
        // policy's list, or a group renamed into it (by an admin or a directory sync), changes what an open WebSocket may do.
        sql("INSERT INTO group_member (group_id, user_id) VALUES ('{grp1}', '{u1}')");
        notifiedBy();
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("UPDATE directory_user SET upn = '{ann.b}@corp' WHERE id = '{u1}'", "directory");
        cases.put("UPDATE directory_group SET name = '{Contractors}' WHERE id = '{grp1}'", "directory");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            sql(c.getKey());
            assertThat(notifiedBy()).as(named(c.getKey())).containsExactly("public:" + c.getValue());
        }
        // What no decision reads stays quiet.
        for (String q : List.of("UPDATE directory_group SET description = 'Temporary staff' WHERE id = '{grp1}'",
                "UPDATE directory_group SET name = name WHERE id = '{grp1}'", "UPDATE directory_user SET upn = upn WHERE id = '{u1}'")) {
            sql(q);
            assertThat(notifiedBy()).as(named(q)).isEmpty();
        }
    }

    @Test
    void deletingAnAppNotifiesWhatWentWithIt() throws Exception {
        sql("INSERT INTO app_path_policy (app_id, path) VALUES ('{a1}', '/admin')",
                "INSERT INTO app_assignment (app_id, principal_type, principal_id, created_at) VALUES ('{a1}', 'USER', '{u1}', now())");
        notifiedBy();

        sql("DELETE FROM app WHERE id = '{a1}'");

        // The cascades' deletes fire their tables' triggers too.
        assertThat(notifiedBy()).containsExactlyInAnyOrder("public:apps", "public:path_rules", "public:directory");
    }

    @Test
    void theHotPathsAndWhatNoNodeCachesNotifyNothing() throws Exception {
        // The heartbeat, as every node runs it on its tunnels' connectors.
        new ConnectorStore(db).touchAll(List.of(prefix + "c1"), Instant.now());
        assertThat(notifiedBy()).as("heartbeat").isEmpty();
        List<String> quiet = List.of(
                // a sign-in's failure counters and lockout, a profile edit, an enable that changes nothing
                "UPDATE directory_user SET failed_attempts = failed_attempts + 1, locked_until = now() WHERE id = '{u1}'",
                "UPDATE directory_user SET failed_attempts = 0, locked_until = NULL, updated_at = now() WHERE id = '{u1}'",
                "UPDATE directory_user SET display_name = 'Ann B', department = '{HR}' WHERE id = '{u1}'",
                "UPDATE directory_user SET enabled = true WHERE id = '{u1}'",
                "INSERT INTO directory_user (id, upn, display_name, enabled, failed_attempts, sessions_valid_after, created_at, updated_at)"
                        + " VALUES ('{u2}', '{bob}@corp', 'Bob', true, 0, now(), now(), now())",
                // a connector registering, reporting its update, the heartbeat's other form
                "INSERT INTO connector (id, connector_group_id, host_name, version, cert_serial, cert_not_after, registered_at)"
                        + " VALUES ('{c2}', '{g1}', 'gw2', '1.0', '{serial-9}', now() + interval '1 year', now())",
                "UPDATE connector SET update_state = 'UPDATING', update_reported_at = now() WHERE id = '{c1}'",
                "UPDATE connector SET last_seen_at = now(), host_name = 'gw1b', version = '1.1' WHERE id = '{c1}'",
                "UPDATE connector SET revoked_at = NULL WHERE id = '{c1}'",
                "INSERT INTO connector_group (id, name, created_at) VALUES ('{g3}', '{New}', now())",
                "UPDATE connector_group SET name = '{Renamed}' WHERE id = '{g3}'",
                // the logs
                "INSERT INTO audit_log (actor, at, action, target_type, target_id) VALUES ('admin', now(), 'x', 'y', 'z')",
                "INSERT INTO connector_event (connector_id, type, detail, at) VALUES ('{c1}', 'CONNECTED', 'up', now())",
                "INSERT INTO sign_in_log (at, event, result, reason, client_ip, client_type, mfa_used) VALUES (now(), 'SIGN_IN', 'FAILURE',"
                        + " 'wrong password', '192.0.2.1', 'BROWSER', false)");
        for (String q : quiet) {
            sql(q);
            assertThat(notifiedBy()).as(named(q)).isEmpty();
        }
    }

    @Test
    void aTransactionNotifiesEachTopicOnceAtCommitAndARollbackNothing() throws Exception {
        writer.setAutoCommit(false);
        // Fences from another connection: the writer's own NOTIFY would wait for its transaction.
        try (Statement s = writer.createStatement(); Connection other = db.dataSource().getConnection()) {
            for (int i = 0; i < 50; i++) {
                s.execute(named("INSERT INTO app_assignment (app_id, principal_type, principal_id, created_at) VALUES ('{a1}', 'USER', '{p" + i
                        + "}', now())"));
                s.execute(named("UPDATE app SET updated_at = now() WHERE id = '{a1}'"));
            }
            assertThat(notifiedBy(other)).as("before the commit").isEmpty();
            writer.commit();
            assertThat(notifiedBy(other)).as("100 statements, one transaction").containsExactlyInAnyOrder("public:directory", "public:apps");

            s.execute(named("UPDATE directory_user SET enabled = false WHERE id = '{u1}'"));
            writer.rollback();
            assertThat(notifiedBy(other)).as("rolled back").isEmpty();
        } finally {
            writer.setAutoCommit(true);
        }
    }

    private void sql(String... statements) throws SQLException {
        sql(writer, statements);
    }

    private void sql(Connection c, String... statements) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String q : statements) {
                s.execute(named(q));
            }
        }
    }

    /** The payloads notified since the last call: everything before a fence the writer notifies now. */
    private List<String> notifiedBy() throws Exception {
        return notifiedBy(writer);
    }

    /** As above, the fence notified by {@code from} (committed in order after what it committed before). */
    private List<String> notifiedBy(Connection from) throws Exception {
        String fence = "fence-" + ++fences;
        sql(from, "NOTIFY " + ChangeListener.CHANNEL + ", '" + fence + "'");
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            PGNotification[] batch = listener.unwrap(PGConnection.class).getNotifications(1000);
            for (PGNotification n : batch == null ? new PGNotification[0] : batch) {
                if (n.getParameter().equals(fence)) {
                    return seen;
                }
                seen.add(n.getParameter());
            }
        }
        throw new AssertionError("the fence " + fence + " never came; seen " + new TreeSet<>(Set.copyOf(seen)));
    }
}
