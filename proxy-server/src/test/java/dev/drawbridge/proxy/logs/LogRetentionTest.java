package dev.drawbridge.proxy.logs;

import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.PostgresTestDatabase;
import org.jooq.DSLContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.drawbridge.proxy.store.db.Tables.AUDIT_LOG;
import static dev.drawbridge.proxy.store.db.Tables.CONNECTOR_EVENT;
import static dev.drawbridge.proxy.store.db.Tables.SIGN_IN_LOG;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LogRetention} deletes from each of its logs (sign-in log, audit log, connector events) exactly the rows older than
 * that log's own retention, keeps those at or inside it, keeps everything of a log whose retention is off, and deletes past
 * one batch. On H2 and on PostgreSQL (DRAWBRIDGE_TEST_PG_URL).
 */
class LogRetentionTest {
    /** The test's "now": before the database's clock, which retention also reads (it counts from the earlier of the two). */
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    @TempDir
    Path dir;

    static Database open(String kind, Path dir) throws Exception {
        return kind.equals("h2") ? Database.h2(dir) : PostgresTestDatabase.fresh();
    }

    static OffsetDateTime ago(Duration d) {
        return NOW.minus(d).atOffset(ZoneOffset.UTC);
    }

    static void signIn(DSLContext dsl, Duration age, String reason) {
        dsl.insertInto(SIGN_IN_LOG).set(SIGN_IN_LOG.AT, ago(age)).set(SIGN_IN_LOG.EVENT, "SIGN_IN").set(SIGN_IN_LOG.RESULT, "SUCCESS")
                .set(SIGN_IN_LOG.REASON, reason).set(SIGN_IN_LOG.CLIENT_IP, "192.0.2.1").set(SIGN_IN_LOG.CLIENT_TYPE, "BROWSER")
                .set(SIGN_IN_LOG.MFA_USED, false).execute();
    }

    static void audit(DSLContext dsl, Duration age, String action) {
        dsl.insertInto(AUDIT_LOG).set(AUDIT_LOG.AT, ago(age)).set(AUDIT_LOG.ACTOR, "admin").set(AUDIT_LOG.ACTION, action)
                .set(AUDIT_LOG.TARGET_TYPE, "app").set(AUDIT_LOG.TARGET_ID, "x").execute();
    }

    static void event(DSLContext dsl, Duration age, String detail) {
        dsl.insertInto(CONNECTOR_EVENT).set(CONNECTOR_EVENT.AT, ago(age)).set(CONNECTOR_EVENT.CONNECTOR_ID, "c")
                .set(CONNECTOR_EVENT.TYPE, "CONNECTED").set(CONNECTOR_EVENT.DETAIL, detail).execute();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void eachLogLosesOnlyWhatIsOlderThanItsOwnRetention(String kind) throws Exception {
        try (Database db = open(kind, dir)) {
            DSLContext dsl = db.dsl();
            Duration second = Duration.ofSeconds(1);
            for (Duration age : List.of(Duration.ofDays(400), Duration.ofDays(30).plus(second), Duration.ofDays(30),
                    Duration.ofDays(30).minus(second), Duration.ofDays(7).plus(second), Duration.ofDays(1), Duration.ZERO)) {
                String label = age.toString();
                signIn(dsl, age, label);
                audit(dsl, age, label);
                event(dsl, age, label);
            }
            // Sign-ins kept 30 days (the default), audit 7 days, connector events forever.
            ServerConfig.Retention retention = new ServerConfig.Retention(Optional.of(ServerConfig.Retention.DEFAULT),
                    Optional.of(Duration.ofDays(7)), Optional.empty());
            Map<String, Long> deleted = new LogRetention(db, retention, Clock.fixed(NOW, ZoneOffset.UTC)).purge();
            assertThat(deleted).containsExactly(Map.entry("sign_in_log", 2L), Map.entry("audit_log", 5L), Map.entry("connector_event", 0L));
            assertThat(dsl.select(SIGN_IN_LOG.REASON).from(SIGN_IN_LOG).fetch(SIGN_IN_LOG.REASON))
                    .containsExactlyInAnyOrder("PT720H", "PT719H59M59S", "PT168H1S", "PT24H", "PT0S");
            assertThat(dsl.select(AUDIT_LOG.ACTION).from(AUDIT_LOG).fetch(AUDIT_LOG.ACTION)).containsExactlyInAnyOrder("PT24H", "PT0S");
            assertThat(dsl.fetchCount(CONNECTOR_EVENT)).isEqualTo(7);
            // Nothing more to do on a second run.
            assertThat(new LogRetention(db, retention, Clock.fixed(NOW, ZoneOffset.UTC)).purge().values()).containsOnly(0L);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aNodeWhoseClockRunsAheadDeletesNothingYoung(String kind) throws Exception {
        // Before: the cutoff was this node's clock alone, so a node 40 days ahead deleted yesterday's audit entries.
        try (Database db = open(kind, dir)) {
            DSLContext dsl = db.dsl();
            Instant real = Instant.now();
            dsl.insertInto(AUDIT_LOG).set(AUDIT_LOG.AT, real.minus(Duration.ofDays(1)).atOffset(ZoneOffset.UTC)).set(AUDIT_LOG.ACTOR, "admin")
                    .set(AUDIT_LOG.ACTION, "yesterday").set(AUDIT_LOG.TARGET_TYPE, "app").set(AUDIT_LOG.TARGET_ID, "x").execute();
            dsl.insertInto(AUDIT_LOG).set(AUDIT_LOG.AT, real.minus(Duration.ofDays(31)).atOffset(ZoneOffset.UTC)).set(AUDIT_LOG.ACTOR, "admin")
                    .set(AUDIT_LOG.ACTION, "last-month").set(AUDIT_LOG.TARGET_TYPE, "app").set(AUDIT_LOG.TARGET_ID, "x").execute();
            Clock ahead = Clock.fixed(real.plus(Duration.ofDays(40)), ZoneOffset.UTC);
            Duration month = Duration.ofDays(30);
            ServerConfig.Retention thirtyDays = new ServerConfig.Retention(Optional.of(month), Optional.of(month), Optional.of(month));
            Map<String, Long> deleted = new LogRetention(db, thirtyDays, ahead).purge();
            assertThat(deleted.get("audit_log")).isEqualTo(1L);
            assertThat(dsl.select(AUDIT_LOG.ACTION).from(AUDIT_LOG).fetch(AUDIT_LOG.ACTION)).containsExactly("yesterday");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void deletesPastOneBatch(String kind) throws Exception {
        try (Database db = open(kind, dir)) {
            DSLContext dsl = db.dsl();
            int batch = 50;
            int old = batch * 2 + 7;
            var insert = dsl.batch(dsl.insertInto(SIGN_IN_LOG, SIGN_IN_LOG.AT, SIGN_IN_LOG.EVENT, SIGN_IN_LOG.RESULT, SIGN_IN_LOG.REASON,
                    SIGN_IN_LOG.CLIENT_IP, SIGN_IN_LOG.CLIENT_TYPE, SIGN_IN_LOG.MFA_USED).values((OffsetDateTime) null, null, null, null, null, null, null));
            for (int i = 0; i < old; i++) {
                insert.bind(ago(Duration.ofDays(31)), "SIGN_IN", "FAILURE", "old", "192.0.2.1", "BROWSER", false);
            }
            insert.execute();
            signIn(dsl, Duration.ofDays(29), "young");
            Map<String, Long> deleted = new LogRetention(db, ServerConfig.Retention.DEFAULTS, Clock.fixed(NOW, ZoneOffset.UTC), batch).purge();
            assertThat(deleted.get("sign_in_log")).isEqualTo(old);
            assertThat(dsl.select(SIGN_IN_LOG.REASON).from(SIGN_IN_LOG).fetch(SIGN_IN_LOG.REASON)).containsExactly("young");
        }
    }
}
