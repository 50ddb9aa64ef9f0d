package dev.drawbridge.proxy.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * A fresh PostgreSQL schema for the tests that run the stores on PostgreSQL. Needs DRAWBRIDGE_TEST_PG_URL, which
 * ./test.sh sets after starting Debian's PostgreSQL; without it the calling test is skipped (and says why).
 */
public final class PostgresTestDatabase {
    private PostgresTestDatabase() {
    }

    /** Drops and recreates the {@code public} schema, then migrates it. */
    public static Database fresh() throws Exception {
        String url = System.getenv("DRAWBRIDGE_TEST_PG_URL");
        assumeThat(url).as("DRAWBRIDGE_TEST_PG_URL (set by ./test.sh when PostgreSQL can be started)").isNotBlank();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS public CASCADE");
            s.execute("CREATE SCHEMA public");
        }
        return Database.postgres(url);
    }
}
