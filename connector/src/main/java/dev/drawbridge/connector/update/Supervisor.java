package dev.drawbridge.connector.update;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * {@code run --auto-update}: runs the connector as a child process and owns its versions (docs/updates.md). It starts the
 * version of {@code current} (or the installed jars; an upgraded package wins over {@code current}), and when the child
 * exits with {@value #UPDATE_EXIT} after writing {@code next}, starts that version on trial: it must confirm healthy
 * (write {@code healthy}: all its tunnels connected) within the trial time. A confirmed version becomes {@code current}
 * (the one before it is kept as the previous, older ones are removed); one that exits or does not confirm in time
 * (it is stopped) is removed, and the version that ran before is started again with {@code rolled-back} saying why, which
 * it reports to the server, unless it exited with {@value #REFUSED_EXIT} because this connector's certificate expired (no
 * version is to blame: the supervisor exits with 2). Any other exit of the child ends the supervisor with the child's status
 * (systemd restarts it on failure, except exit 2: refused for good). SIGTERM is passed on to the child, which drains; the supervisor then exits with 143.
 */
public final class Supervisor {
    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    /** The exit status of a connector that drained for an update ({@code EX_TEMPFAIL}). */
    public static final int UPDATE_EXIT = 75;
    /** The exit status of a connector refused for good (e.g. its certificate expired): no restart and no version helps. */
    public static final int REFUSED_EXIT = 2;
    private static final Duration STOP_GRACE = Duration.ofSeconds(60);
    private static final long TICK_MS = 200;

    private final UpdateFiles files;
    private final String installedVersion;
    private final Launch installed;
    private final Function<Launch, ProcessBuilder> command;
    private final Duration trial;
    private final Clock clock;
    private final BooleanSupplier refusedForGood;
    private final Object lock = new Object();
    private Process child;
    private boolean stopping;

    /**
     * @param installedVersion the package's version (the supervisor's own)
     * @param installed        how to start the installed jars
     * @param command          the child's command for a launch (java, its options, class path, main class, arguments)
     * @param trial            how long a new version has to confirm healthy
     */
    public Supervisor(UpdateFiles files, String installedVersion, Launch installed, Function<Launch, ProcessBuilder> command,
                      Duration trial, Clock clock) {
        this(files, installedVersion, installed, command, trial, clock, () -> false);
    }

    /**
     * As above; {@code refusedForGood} says whether a version on trial that exited with {@value #REFUSED_EXIT} did so for a
     * reason no version changes (this connector's certificate expired): the supervisor then exits with it instead of
     * rolling back, so that the service stops there ({@code RestartPreventExitStatus=2}) and the version is not blamed.
     */
    public Supervisor(UpdateFiles files, String installedVersion, Launch installed, Function<Launch, ProcessBuilder> command,
                      Duration trial, Clock clock, BooleanSupplier refusedForGood) {
        this.refusedForGood = refusedForGood;
        this.files = files;
        this.installedVersion = installedVersion;
        this.installed = installed;
        this.command = command;
        this.trial = trial;
        this.clock = clock;
    }

    /** Supervises until the child stops for good; answers the exit status for the program. */
    public int run() throws IOException, InterruptedException {
        files.ensure();
        files.clearNext();
        files.clearHealthy();
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopChild, "supervisor-stop"));
        Launch launch = choose();
        Process p = start(launch);
        while (true) {
            if (p == null) {
                return 143;
            }
            int code = p.waitFor();
            if (code != UPDATE_EXIT || stopped()) {
                if (!stopped()) {
                    LOG.info("the connector (version {}) exited with status {}", name(launch), code);
                }
                return code;
            }
            Optional<String> next = files.next();
            files.clearNext();
            if (next.isEmpty()) {
                LOG.warn("the connector (version {}) exited with status {} without naming a version to update to", name(launch), code);
                return code;
            }
            String v = next.get();
            Launch trialLaunch;
            Process t;
            try {
                trialLaunch = files.launch(v);
                LOG.info("starting version {} on trial: it has {} to connect its tunnels", v, human(trial));
                files.clearHealthy();
                t = start(trialLaunch);
            } catch (UpdateException | RuntimeException e) {
                // A damaged version must not stop the supervisor (and the connector with it): the previous one runs again.
                p = rollBack(launch, v, e instanceof UpdateException ? e.getMessage() : "version " + v + " cannot be started ("
                        + e.getMessage() + ")");
                continue;
            }
            if (t == null) {
                return 143;
            }
            Optional<String> failure = awaitConfirmation(t, v);
            if (failure.isPresent() && !t.isAlive() && t.exitValue() == REFUSED_EXIT && refusedForGood.getAsBoolean()) {
                LOG.error("version {} on trial stopped because this connector is refused for good (its certificate expired), which no"
                        + " version changes: not rolling back; register the connector again, then start it", v);
                return REFUSED_EXIT;
            }
            if (failure.isPresent()) {
                p = rollBack(launch, v, failure.get());
                continue;
            }
            files.setCurrent(v, installedVersion);
            Set<String> keep = new HashSet<>(Set.of(v));
            launch.unpacked().ifPresent(keep::add);
            files.prune(keep);
            LOG.info("version {} is healthy: it is now the current version (the previous one, {}, is kept)", v, name(launch));
            launch = trialLaunch;
            p = t;
        }
    }

    /** What to run: {@code current} if it was chosen with the installed package and is intact, else the installed jars. */
    Launch choose() throws IOException {
        Optional<UpdateFiles.Current> current = files.current();
        if (current.isEmpty()) {
            return installed;
        }
        if (!current.get().installed().equals(installedVersion)) {
            LOG.info("the package was changed to version {} (version {} was updated from {}): running the package's version",
                    installedVersion, current.get().version(), current.get().installed());
            files.clearCurrent();
            files.prune(Set.of());
            return installed;
        }
        try {
            return files.launch(current.get().version());
        } catch (UpdateException | RuntimeException e) {
            // Whatever is wrong with the current version, the package's jars run: never a supervisor failing at every start.
            LOG.warn("{}: running the package's version {}", e instanceof UpdateException ? e.getMessage()
                    : "version " + current.get().version() + " cannot be started (" + e + ")", installedVersion);
            files.clearCurrent();
            return installed;
        }
    }

    private Process rollBack(Launch previous, String attempted, String reason) throws IOException, InterruptedException {
        LOG.warn("version {} failed its trial ({}): going back to version {}", attempted, reason, name(previous));
        files.writeRolledBack(attempted, reason);
        Set<String> keep = new HashSet<>();
        previous.unpacked().ifPresent(keep::add);
        files.current().ifPresent(c -> keep.add(c.version()));
        keep.remove(attempted);
        files.prune(keep);
        return start(previous);
    }

    /** Empty when the trial confirmed healthy; else why not (the child is stopped). */
    private Optional<String> awaitConfirmation(Process t, String v) throws InterruptedException {
        Instant deadline = clock.instant().plus(trial);
        while (true) {
            if (files.healthy().filter(v::equals).isPresent()) {
                return Optional.empty();
            }
            if (!t.isAlive()) {
                return Optional.of("version " + v + " exited with status " + t.exitValue() + " before its tunnels connected");
            }
            if (stopped()) {
                return Optional.of("the supervisor was stopped during the trial");
            }
            if (!clock.instant().isBefore(deadline)) {
                stop(t);
                return Optional.of("version " + v + " did not connect its tunnels within " + human(trial));
            }
            t.waitFor(TICK_MS, TimeUnit.MILLISECONDS);
        }
    }

    private Process start(Launch launch) throws IOException {
        synchronized (lock) {
            if (stopping) {
                return null;
            }
            ProcessBuilder pb = command.apply(launch).inheritIO();
            child = pb.start();
            LOG.info("started the connector, version {} (pid {})", name(launch), child.pid());
            return child;
        }
    }

    private boolean stopped() {
        synchronized (lock) {
            return stopping;
        }
    }

    /** On SIGTERM: the child drains and stops; the supervisor exits once it did. */
    private void stopChild() {
        Process c;
        synchronized (lock) {
            stopping = true;
            c = child;
        }
        if (c != null) {
            stop(c);
        }
    }

    private static void stop(Process c) {
        if (!c.isAlive()) {
            return;
        }
        c.destroy();
        try {
            if (!c.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                c.destroyForcibly();
                c.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            c.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private String name(Launch l) {
        return l.unpacked().orElse(installedVersion + " (installed)");
    }

    static String human(Duration d) {
        if (d.toSeconds() % 60 == 0 && d.toMinutes() > 0) {
            return d.toMinutes() + " min";
        }
        return d.toSeconds() > 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
