package dev.drawbridge.testsupport.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A test server (slapd, krb5kdc, Apache) running in the foreground as a child of the test JVM, never daemonized, so
 * that it cannot outlive the tests: it is launched through {@link RunAs#wrap} ({@code setpriv --pdeathsig KILL}) from
 * a dedicated platform thread that then waits for it. The kernel kills the child when that thread ends, which is when
 * the server has stopped or the JVM is gone (even a killed surefire fork leaves nothing behind). A pooled or virtual
 * thread would not do: its end (or its carrier's) would kill the server early. {@link #close} stops it (SIGTERM, then
 * SIGKILL after 5 s). Its output goes to a log file that start-up failures quote.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final String name;
    private final Process process;
    private final Thread lifeline;
    private final Path log;

    private ServerProcess(String name, Process process, Thread lifeline, Path log) {
        this.name = name;
        this.process = process;
        this.lifeline = lifeline;
        this.log = log;
    }

    /** What must hold for a started server to count as ready (it answers, its log says so). */
    @FunctionalInterface
    public interface Readiness {
        boolean ready() throws IOException;
    }

    /** A server that exited before it became ready: {@link #log()} says why ("Address already in use", ...). */
    public static final class Exited extends IOException {
        private final String log;

        Exited(String name, int code, String log) {
            super(name + " exited with " + code + " before it was ready; its output:\n" + log);
            this.log = log;
        }

        /** The server's output. */
        public String log() {
            return log;
        }

        /** Whether it failed because its port was taken meanwhile (free ports are picked, then released). */
        public boolean portTaken() {
            return log.contains("Address already in use") || log.contains("could not bind");
        }
    }

    /**
     * Starts {@code command} in {@code dir} with {@code env} added, its output to {@code log}, then waits until
     * {@code readiness} holds.
     *
     * @throws Exited when the server exits before it is ready
     * @throws IOException when it does not become ready within {@code timeout} (it is stopped then)
     */
    public static ServerProcess start(String name, List<String> command, Map<String, String> env, Path dir, Path log,
                                      Duration timeout, Readiness readiness) throws IOException, InterruptedException {
        return launch(name, RunAs.wrap(command), env, dir, log, timeout, readiness);
    }

    /**
     * As {@link #start}, but as the user running the tests, never {@code nobody}: for this build's own programs
     * (drawbridge-server nodes), whose class path lies in the build and the Maven repository, unreadable to others.
     * Still tied to its launching thread ({@code setpriv --pdeathsig KILL}).
     */
    public static ServerProcess startAsTestUser(String name, List<String> command, Map<String, String> env, Path dir, Path log,
                                                Duration timeout, Readiness readiness) throws IOException, InterruptedException {
        List<String> tied = new ArrayList<>(List.of("setpriv", "--pdeathsig", "KILL", "--"));
        tied.addAll(command);
        return launch(name, tied, env, dir, log, timeout, readiness);
    }

    private static ServerProcess launch(String name, List<String> launched, Map<String, String> env, Path dir, Path log,
                                        Duration timeout, Readiness readiness) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(launched).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // Only what the caller gives: no DRAWBRIDGE_* setting of the test run leaks into the server.
        builder.environment().keySet().removeIf(k -> k.startsWith("DRAWBRIDGE_"));
        builder.environment().putAll(env);
        CompletableFuture<Process> started = new CompletableFuture<>();
        Thread lifeline = Thread.ofPlatform().daemon().name("test-server-" + name).start(() -> {
            Process process;
            try {
                process = builder.start();
            } catch (IOException | RuntimeException e) {
                started.completeExceptionally(e);
                return;
            }
            started.complete(process);
            // This thread is the server's lifeline (pdeathsig): it ends only once the server has.
            while (process.isAlive()) {
                try {
                    process.waitFor();
                } catch (InterruptedException ignored) {
                    // keep waiting: ending now would kill the server
                }
            }
        });
        Process process;
        try {
            process = started.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("could not start " + name, e.getCause());
        }
        ServerProcess server = new ServerProcess(name, process, lifeline, log);
        try {
            server.awaitReady(timeout, readiness);
            return server;
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void awaitReady(Duration timeout, Readiness readiness) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new Exited(name, process.exitValue(), log());
            }
            if (readiness.ready()) {
                if (process.isAlive()) {
                    return;
                }
                continue; // it answered, then died: report why
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(name + " was not ready within " + timeout + "; its output:\n" + log());
            }
            Thread.sleep(10);
        }
    }

    /** Whether the server still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The process id (of the server itself: setpriv execs it). */
    public long pid() {
        return process.pid();
    }

    /** Everything the server wrote so far. */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL, as a crash or the OOM killer would: returns once the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
        lifeline.join(STOP_GRACE.toMillis());
    }

    /**
     * SIGTERM, then waits up to {@code grace} for the server to exit by itself (a node drains first); returns its exit
     * code, or kills it and fails when it is still there after {@code grace}.
     */
    public int terminate(Duration grace) throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new IOException(name + " did not exit within " + grace + " of SIGTERM (killed)");
        }
        lifeline.join(STOP_GRACE.toMillis());
        return process.exitValue();
    }

    /** Stops the server: SIGTERM, SIGKILL if it is still there after 5 s; returns once it is gone. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
        }
        lifeline.join(STOP_GRACE.toMillis());
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
