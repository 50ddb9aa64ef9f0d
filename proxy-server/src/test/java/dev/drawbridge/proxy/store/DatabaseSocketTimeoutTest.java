package dev.drawbridge.proxy.store;

import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * PostgreSQL connections get a read timeout unless the URL sets one ({@link Database#SOCKET_TIMEOUT}): a statement whose
 * connection goes silent in the middle (a partition, a failover: no reset, {@link DatabaseRelay#blackhole}) fails after it
 * instead of holding its caller for good; a statement that merely takes a while is untouched; the URL's own
 * {@code socketTimeout} and {@code tcpKeepAlive} win (0: none).
 */
class DatabaseSocketTimeoutTest {
    static Database migrated;
    static String pgUrl;

    @BeforeAll
    static void migrate() throws Exception {
        migrated = PostgresTestDatabase.fresh();
        pgUrl = System.getenv("DRAWBRIDGE_TEST_PG_URL");
    }

    @AfterAll
    static void close() throws Exception {
        if (migrated != null) {
            migrated.close();
        }
    }

    private static PGSimpleDataSource driver(Database db) {
        return (PGSimpleDataSource) db.unpooled();
    }

    @Test
    void theDefaultsApplyUnlessTheUrlSetsItsOwn() throws Exception {
        try (Database byDefault = Database.postgres(pgUrl)) {
            assertThat(driver(byDefault).getSocketTimeout()).isEqualTo((int) Database.SOCKET_TIMEOUT.toSeconds());
            assertThat(driver(byDefault).getTcpKeepAlive()).isTrue();
        }
        try (Database own = Database.postgres(pgUrl + "&socketTimeout=0&tcpKeepAlive=false")) {
            assertThat(driver(own).getSocketTimeout()).as("the URL's 0: no timeout").isZero();
            assertThat(driver(own).getTcpKeepAlive()).isFalse();
        }
        try (Database own = Database.postgres(pgUrl + "&socketTimeout=300")) {
            assertThat(driver(own).getSocketTimeout()).isEqualTo(300);
        }
        // A name the driver does not know as written (it never decodes names) sets nothing: the defaults still apply.
        // Before, the name was decoded here, counted as the URL's own socketTimeout, and the connection had none at all.
        try (Database spelled = Database.postgres(pgUrl + "&socket%54imeout=5&tcp%4BeepAlive=false")) {
            assertThat(driver(spelled).getSocketTimeout()).isEqualTo((int) Database.SOCKET_TIMEOUT.toSeconds());
            assertThat(driver(spelled).getTcpKeepAlive()).isTrue();
        }
    }

    @Test
    void aStatementWhoseConnectionGoesSilentFailsAfterTheTimeoutInsteadOfWaitingForGood() throws Exception {
        // Before: no socket timeout, and the statement below waited for good (this test timed out at 20 s).
        Duration timeout = Duration.ofSeconds(2);
        try (DatabaseRelay relay = new DatabaseRelay(5432); Database db = Database.postgres(relay.url(pgUrl), timeout)) {
            assertThat(db.dsl().resultQuery("SELECT pg_sleep(1)").fetch()).as("a slow statement, shorter than the timeout").hasSize(1);

            CompletableFuture<Object> stuck = CompletableFuture.supplyAsync(() -> db.dsl().resultQuery("SELECT pg_sleep(1.5), 'stuck'").fetch(),
                    Thread::startVirtualThread);
            awaitRunning("'stuck'");
            long silentAt = System.nanoTime();
            relay.blackhole(true);

            ExecutionException failed = catchThrowableOfType(ExecutionException.class, () -> stuck.get(20, TimeUnit.SECONDS));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - silentAt);
            assertThat(failed).as("the statement on the silent connection fails").isNotNull();
            assertThat(tookMillis).as("within the timeout (counted from the statement's start)").isLessThan(timeout.toMillis() + 3000);

            relay.blackhole(false);
            assertThat(db.dsl().select(DSL.one()).fetchOne(0, Integer.class)).as("a new connection serves").isEqualTo(1);
        }
    }

    /** Waits until a statement containing {@code marker} runs in PostgreSQL (asked over a direct connection). */
    private static void awaitRunning(String marker) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (Connection c = DriverManager.getConnection(pgUrl); Statement s = c.createStatement()) {
            while (true) {
                try (ResultSet r = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%"
                        + marker.replace("'", "''") + "%' AND query NOT LIKE '%pg_stat_activity%'")) {
                    r.next();
                    if (r.getInt(1) > 0) {
                        return;
                    }
                }
                assertThat(System.nanoTime()).as("the statement never started").isLessThan(deadline);
                new CountDownLatch(1).await(10, TimeUnit.MILLISECONDS);
            }
        }
    }
}
