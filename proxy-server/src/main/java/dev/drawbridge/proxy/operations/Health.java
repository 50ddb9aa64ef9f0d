package dev.drawbridge.proxy.operations;

import dev.drawbridge.model.operations.HealthReport;
import dev.drawbridge.model.operations.HealthReport.Check;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The server's health, as its management listener answers it (docs/operations.md):
 * <ul>
 *   <li><b>live</b> (restart me if not): the request executor runs a task within the timeout, so handlers still get
 *   threads. Nothing outside the process counts: a database outage must not make an orchestrator restart every node.</li>
 *   <li><b>ready</b> (send me traffic if so): the database answers {@code SELECT 1} within the timeout (a JDBC query
 *   timeout, and a wall-clock bound for a connection that hangs before the query runs), the public and tunnel listeners
 *   accept connections, and the server is not stopping.</li>
 * </ul>
 * A database check that hangs is not started again while it runs: later probes wait for the same one (each for at most
 * the timeout), so a hung database cannot pile up threads or connections.
 */
public final class Health {
    private static final Logger LOG = LoggerFactory.getLogger(Health.class);

    private final Executor requestExecutor;
    private final DataSource database;
    private final BooleanSupplier listenersUp;
    private final Duration timeout;
    private final Supplier<List<Check>> more;
    /** The database check running or last run (guarded by this). */
    private CompletableFuture<Void> databaseCheck;
    private volatile boolean stopping;
    private volatile boolean databaseWasDown;

    /**
     * @param requestExecutor where the server runs handlers (its thread pool)
     * @param database        the server's database
     * @param listenersUp     whether the public and tunnel listeners accept connections
     * @param timeout         how long each check may take
     */
    public Health(Executor requestExecutor, DataSource database, BooleanSupplier listenersUp, Duration timeout) {
        this(requestExecutor, database, listenersUp, timeout, List::of);
    }

    /** @param more checks added to the readiness report (computed in memory: they must not block) */
    public Health(Executor requestExecutor, DataSource database, BooleanSupplier listenersUp, Duration timeout, Supplier<List<Check>> more) {
        this.requestExecutor = requestExecutor;
        this.database = database;
        this.listenersUp = listenersUp;
        this.timeout = timeout;
        this.more = more;
    }

    /** From now on the server is stopping: not ready, whatever else holds. */
    public void stopping() {
        stopping = true;
    }

    /** Liveness: whether the process still serves requests. */
    public HealthReport live() {
        CountDownLatch ran = new CountDownLatch(1);
        long start = System.nanoTime();
        try {
            requestExecutor.execute(ran::countDown);
            if (ran.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return HealthReport.of(List.of(Check.up("executor", "ran a task in " + millisSince(start) + " ms")));
            }
            return HealthReport.of(List.of(Check.down("executor", "did not run a task within " + timeout.toMillis() + " ms")));
        } catch (RejectedExecutionException e) {
            return HealthReport.of(List.of(Check.down("executor", "refuses tasks (stopping)")));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HealthReport.of(List.of(Check.down("executor", "interrupted")));
        }
    }

    /** Readiness: whether this node should get traffic. */
    public HealthReport ready() {
        Check db = database();
        Check listeners = listenersUp.getAsBoolean() ? Check.up("listeners", "the public and tunnel listeners accept connections")
                : Check.down("listeners", "the public or the tunnel listener is not accepting connections");
        Check lifecycle = stopping ? Check.down("lifecycle", "the server is stopping") : Check.up("lifecycle", "running");
        List<Check> checks = new ArrayList<>(List.of(db, listeners, lifecycle));
        checks.addAll(more.get());
        return HealthReport.of(checks);
    }

    private Check database() {
        long start = System.nanoTime();
        CompletableFuture<Void> check = databaseCheck();
        Check result;
        try {
            check.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            result = Check.up("database", "answered in " + millisSince(start) + " ms");
        } catch (TimeoutException e) {
            result = Check.down("database", "did not answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            // The kind of failure only: a driver's message may name hosts and users, which a health body need not show.
            Throwable cause = e.getCause() == null ? e : e.getCause();
            result = Check.down("database", "cannot be reached (" + cause.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = Check.down("database", "interrupted");
        }
        logChange(result);
        return result;
    }

    /** The check running now, or a new one: never two at once. */
    private synchronized CompletableFuture<Void> databaseCheck() {
        CompletableFuture<Void> running = databaseCheck;
        if (running == null || running.isDone()) {
            running = selectOne();
            databaseCheck = running;
        }
        return running;
    }

    /** {@code SELECT 1} on a virtual thread of its own, with the JDBC query timeout set. */
    private CompletableFuture<Void> selectOne() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        int seconds = (int) Math.max(1, timeout.toSeconds());
        Thread.ofVirtual().name("health-database").start(() -> {
            try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
                s.setQueryTimeout(seconds);
                s.execute("SELECT 1");
                done.complete(null);
            } catch (Exception | Error e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /** One line when the database goes down and one when it comes back, not one per probe. */
    private void logChange(Check db) {
        if (!db.up() && !databaseWasDown) {
            databaseWasDown = true;
            LOG.warn("readiness: the database {}; not ready until it answers", db.detail());
        } else if (db.up() && databaseWasDown) {
            databaseWasDown = false;
            LOG.info("readiness: the database answers again");
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
