package dev.drawbridge.proxy.store;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.nio.file.Path;

/**
 * The server's database: embedded H2 in the data directory by default (PostgreSQL mode, so one
 * schema serves both), or PostgreSQL for several nodes. The schema is migrated by Flyway at start;
 * all access goes through jOOQ with code generated from the same migrations.
 */
public final class Database implements AutoCloseable {
    private final DataSource dataSource;
    private final DSLContext dsl;
    private final AutoCloseable closer;

    private Database(DataSource dataSource, SQLDialect dialect, AutoCloseable closer) {
        this.dataSource = dataSource;
        this.closer = closer;
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        this.dsl = DSL.using(dataSource, dialect);
    }

    /** Embedded H2 file database {@code <dataDir>/db/drawbridge}. */
    public static Database h2(Path dataDir) {
        String url = "jdbc:h2:file:" + dataDir.resolve("db").resolve("drawbridge").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE";
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "drawbridge", "");
        pool.setMaxConnections(32);
        return new Database(pool, SQLDialect.H2, () -> {
            try (var c = pool.getConnection(); var s = c.createStatement()) {
                s.execute("SHUTDOWN");
            } catch (Exception ignored) {
                // already closed
            }
            pool.dispose();
        });
    }

    /** PostgreSQL at a JDBC URL (credentials in the URL or in PGUSER/PGPASSWORD). */
    public static Database postgres(String jdbcUrl) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(jdbcUrl);
        return new Database(ds, SQLDialect.POSTGRES, () -> { });
    }

    public DSLContext dsl() {
        return dsl;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() throws Exception {
        closer.close();
    }
}
