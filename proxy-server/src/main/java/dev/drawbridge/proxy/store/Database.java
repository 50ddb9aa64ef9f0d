package dev.drawbridge.proxy.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * The server's database: embedded H2 in the data directory by default (PostgreSQL mode, so one
 * schema serves both), or PostgreSQL for several nodes. The schema is migrated by Flyway at start;
 * all access goes through jOOQ with code generated from the same migrations.
 */
public final class Database implements AutoCloseable {
    /** The embedded database's user (its owner, without a password: the file's mode is its protection). */
    public static final String H2_USER = "drawbridge";
    /** Connections to PostgreSQL a node keeps at most (requests wait for one up to 10 s beyond that). */
    static final int POSTGRES_POOL_SIZE = 16;
    /**
     * How long a PostgreSQL connection may stay silent in the middle of a statement before the statement fails, unless the
     * URL sets {@code socketTimeout} itself: without one, a statement on a connection that went silent (a failover, a
     * partition: no reset) waits for good, and so does whatever called it (a reload, the fallback thread, a request). Long
     * enough for the slowest statement the server runs (a migration of a large table; the URL can raise it).
     */
    public static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);
    /** Idle pooled connections are pinged this often, so a firewall or NAT does not drop them silently meanwhile. */
    static final Duration POOL_KEEPALIVE = Duration.ofMinutes(2);
    /** The migrations of every database: the schema, which jOOQ's code is generated from. */
    private static final String MIGRATIONS = "classpath:db/migration";
    /**
     * PostgreSQL's own, on top (versions from the same sequence): the triggers that tell the other nodes of a change
     * (docs/scale-out.md, "Propagation between nodes"). Not H2's, where one node has nobody to tell.
     */
    private static final String POSTGRES_ONLY = "classpath:db/postgresql";
    private final DataSource dataSource;
    private final DSLContext dsl;
    private final AutoCloseable closer;
    /** PostgreSQL's data source outside the pool (see {@link #unpooled()}); the same as {@link #dataSource} for H2. */
    private DataSource unpooled;

    private Database(DataSource dataSource, SQLDialect dialect, AutoCloseable closer, String... migrations) {
        this.dataSource = dataSource;
        this.closer = closer;
        Flyway.configure().dataSource(dataSource).locations(migrations).load().migrate();
        this.dsl = DSL.using(dataSource, dialect);
    }

    /**
     * Embedded H2 file database {@code <dataDir>/db/drawbridge}. The database holds password hashes and
     * sessions: its folder is 0700, so files H2 creates later (trace, temporary files) are out of other users'
     * reach whatever their mode, and the files present are made 0600 after opening and after closing.
     *
     * @throws UncheckedIOException     when the folder cannot be created or restricted
     * @throws DamagedDatabaseException when the data directory held a database ({@link DatabaseMarker}) that is missing or
     *                                  holds no data
     */
    public static Database h2(Path dataDir) {
        Path folder = dataDir.resolve("db");
        // A data directory that held a database never gets a new, empty one in its place (H2 would create one silently).
        DatabaseMarker.checkBeforeOpening(dataDir);
        try {
            SecretFiles.directory(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JdbcConnectionPool pool = JdbcConnectionPool.create(h2Url(dataDir), H2_USER, "");
        pool.setMaxConnections(32);
        try {
            DatabaseMarker.checkAfterOpening(dataDir, pool);
        } catch (RuntimeException e) {
            pool.dispose();
            throw e;
        }
        Database db = new Database(pool, SQLDialect.H2, () -> {
            try (var c = pool.getConnection(); var s = c.createStatement()) {
                s.execute("SHUTDOWN");
            } catch (Exception ignored) {
                // already closed
            }
            pool.dispose();
            restrictFiles(folder);
        }, MIGRATIONS);
        restrictFiles(folder);
        DatabaseMarker.mark(dataDir);
        return db;
    }

    /** The embedded database's JDBC URL in {@code dataDir} (the offline backup opens it too). */
    public static String h2Url(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.resolve("db").resolve("drawbridge").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE";
    }

    /** Makes every file in the database folder owner-only (0600); a file that vanished meanwhile is skipped. */
    private static void restrictFiles(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                try {
                    SecretFiles.restrict(f);
                } catch (NoSuchFileException gone) {
                    // H2 removed a temporary file meanwhile
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * PostgreSQL at a JDBC URL (credentials in the URL or in PGUSER/PGPASSWORD), with {@link #SOCKET_TIMEOUT} and TCP
     * keep-alive unless the URL sets {@code socketTimeout} or {@code tcpKeepAlive} itself.
     */
    public static Database postgres(String jdbcUrl) {
        return postgres(jdbcUrl, SOCKET_TIMEOUT);
    }

    static Database postgres(String jdbcUrl, Duration defaultSocketTimeout) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        try {
            ds.setURL(jdbcUrl);
        } catch (IllegalArgumentException e) {
            // The driver's message is the whole URL, password included (ServerConfig refuses such a URL before this).
            throw new IllegalArgumentException("the PostgreSQL driver cannot read the database URL (not repeated: it may hold the password)");
        }
        Set<String> given = parameterNames(jdbcUrl);
        if (!given.contains("socketTimeout")) {
            ds.setSocketTimeout((int) Math.max(1, defaultSocketTimeout.toSeconds()));
        }
        if (!given.contains("tcpKeepAlive")) {
            ds.setTcpKeepAlive(true);
        }
        // Pooled: every query would otherwise open (and authenticate) a connection of its own, which several nodes polling
        // shares, leases and heartbeats turn into hundreds of connections a second. The pool is given the driver's data
        // source, so the URL (and its password) never reaches the pool's configuration log.
        HikariConfig pool = new HikariConfig();
        pool.setDataSource(ds);
        pool.setPoolName("drawbridge-db");
        pool.setMaximumPoolSize(POSTGRES_POOL_SIZE);
        pool.setMinimumIdle(2);
        pool.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
        // A pooled connection that went silent (a failover, a partition: no reset) is found out when next borrowed: within a
        // second, not the pool's default 5 s, so a node's syncs and reloads move to new connections at once.
        pool.setValidationTimeout(Duration.ofSeconds(1).toMillis());
        pool.setKeepaliveTime(POOL_KEEPALIVE.toMillis());
        // A server that cannot reach the database at start fails at Flyway's first query with the driver's own reason.
        pool.setInitializationFailTimeout(-1);
        HikariDataSource pooled = new HikariDataSource(pool);
        try {
            Database db = new Database(pooled, SQLDialect.POSTGRES, pooled::close, MIGRATIONS, POSTGRES_ONLY);
            db.unpooled = ds;
            return db;
        } catch (RuntimeException e) {
            pooled.close();
            throw e;
        }
    }

    /**
     * The names of the URL's query parameters ({@code ?a=1&b=2}), as the driver reads them: case-sensitive and never
     * percent-decoded (it decodes values only), so a name it does not know as written does not count as set here either.
     */
    static Set<String> parameterNames(String jdbcUrl) {
        int q = jdbcUrl.indexOf('?');
        if (q < 0) {
            return Set.of();
        }
        Set<String> names = new HashSet<>();
        for (String pair : jdbcUrl.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            names.add(eq < 0 ? pair : pair.substring(0, eq));
        }
        return names;
    }

    public DSLContext dsl() {
        return dsl;
    }

    /**
     * Connections outside the pool, for one held for the node's life (the change listener's {@code LISTEN}): a pooled
     * connection held open would be one less for requests, and one that died under a raw driver call (which the pool
     * never sees) would be handed back to the pool as sound and fail the next request that borrows it.
     */
    public DataSource unpooled() {
        return unpooled == null ? dataSource : unpooled;
    }

    /**
     * Like {@link #unpooled()}, with every wait of a connection bounded by {@code timeout} (whole seconds, at least one):
     * the login, and each read in the middle of a statement (the URL's {@code socketTimeout} does not apply). For a
     * connection held by one periodic exchange that must end by itself on a database gone silent, without an interrupt
     * (which the pool would log as a broken connection with its stack trace). H2's data source is returned as it is.
     */
    public DataSource unpooled(Duration timeout) {
        if (!(unpooled instanceof PGSimpleDataSource pg)) {
            return unpooled();
        }
        int seconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (timeout.toMillis() + 999) / 1000));
        PGSimpleDataSource bounded = new PGSimpleDataSource();
        try {
            bounded.initializeFrom(pg);
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot copy the PostgreSQL data source's settings", e);
        }
        bounded.setConnectTimeout(seconds);
        bounded.setLoginTimeout(seconds);
        bounded.setSocketTimeout(seconds);
        return bounded;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() throws Exception {
        closer.close();
    }
}
