package dev.drawbridge.testsupport.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a command-line tool of a test server to completion (slapadd, kdb5_ldap_util, kadmin.local) as the servers'
 * user ({@link RunAs}), feeding it {@code stdin}; a non-zero exit or a hang past the timeout fails with its output.
 */
public final class Tool {
    private Tool() {
    }

    /** Runs {@code command} and returns its output (stdout and stderr together). */
    public static String run(List<String> command, Map<String, String> env, Path dir, String stdin, Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(RunAs.wrap(command)).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()),
                runnable -> Thread.ofPlatform().daemon().start(runnable));
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        } catch (IOException closedEarly) {
            // the tool did not read all of it: its exit code and output say why
        }
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IOException(command.getFirst() + " did not finish within " + timeout + "; output:\n" + output.getNow(""));
        }
        String text;
        try {
            text = output.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("could not read the output of " + command.getFirst(), e);
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed with " + process.exitValue() + "; output:\n" + text);
        }
        return text;
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }
}
