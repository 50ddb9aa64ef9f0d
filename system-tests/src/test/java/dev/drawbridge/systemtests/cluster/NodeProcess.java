package dev.drawbridge.systemtests.cluster;

import dev.drawbridge.proxy.cli.ServerCli;
import dev.drawbridge.systemtests.connector.ConnectorProcesses;
import dev.drawbridge.testsupport.process.ServerProcess;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code drawbridge-server serve} process of a cluster, started as bin/drawbridge-server starts it (the proxy-server
 * module's runtime class path and its classes, the packages' logging settings), bound to its own loopback address on the
 * public port every node shares (so an app's URL, with the balancer's port, is valid on each node too), its own tunnel
 * port (published by the balancer at {@link #advertisedTunnelUrl()}) and management port (the balancer's health check).
 * It can be killed, stopped and started again on the same ports and data directory.
 */
final class NodeProcess {
    private static final HttpClient MANAGEMENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private static final String CREDENTIAL = "Admin credential (shown once, keep it safe): ";

    final String name;
    /** The loopback address both of its listeners bind to (127.0.0.x). */
    final String address;
    final int publicPort;
    final int tunnelPort;
    /** The port on 127.0.0.1 where the balancer publishes {@link #tunnelPort}. */
    final int advertisedPort;
    final int managementPort;
    final Path dataDir;
    private final Path logs;
    private ServerProcess process;
    private int starts;

    NodeProcess(String name, String address, int publicPort, int tunnelPort, int advertisedPort, int managementPort, Path dataDir, Path logs) {
        this.name = name;
        this.address = address;
        this.publicPort = publicPort;
        this.tunnelPort = tunnelPort;
        this.advertisedPort = advertisedPort;
        this.managementPort = managementPort;
        this.dataDir = dataDir;
        this.logs = logs;
    }

    /** What the node gives connectors: a name under the domain (connectors resolve *.localhost to 127.0.0.1: the balancer). */
    String advertisedTunnelUrl() {
        return "wss://node-" + name + ".localhost:" + advertisedPort;
    }

    /** The java command line of {@code drawbridge-server ARGS} with {@code jars}. */
    static List<String> command(List<Path> jars, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Dorg.jooq.no-logo=true", "-Dorg.jooq.no-tips=true",
                // Small heaps and one GC thread: up to four nodes, three connectors and the tests share two cores.
                "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dlogback.configurationFile=" + ConnectorProcesses.LOGGING,
                "-cp", String.join(File.pathSeparator, jars.stream().map(Path::toString).toList()), ServerCli.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Starts the node (again) and returns once {@code /health/ready} answers 200.
     *
     * @throws ServerProcess.Exited when it exits first (its output says why)
     */
    void start(List<Path> jars, String databaseUrl, Path clusterKey, Duration timeout) throws IOException, InterruptedException {
        Files.createDirectories(dataDir);
        List<String> cmd = command(jars, "serve", "--data-dir", dataDir.toString(), "--domain", "localhost", "--bind", address,
                "--port", Integer.toString(publicPort), "--tunnel-port", Integer.toString(tunnelPort), "--database-url", databaseUrl,
                "--cluster-key-file", clusterKey.toString(), "--advertise-tunnel-url", advertisedTunnelUrl(),
                "--management-port", Integer.toString(managementPort));
        starts++;
        process = ServerProcess.startAsTestUser("node-" + name, cmd, Map.of(), dataDir.getParent(),
                logs.resolve("node-" + name + "-" + starts + ".log"), timeout, this::ready);
    }

    /** Whether {@code /health/ready} answers 200 now. */
    boolean ready() {
        return status("/health/ready") == 200;
    }

    private int status(String path) {
        try {
            return MANAGEMENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** The tunnels of {@code connectorId} connected to this node, from its {@code /metrics} (0 when it does not answer). */
    int tunnels(String connectorId) {
        try {
            String text = MANAGEMENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/metrics"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile("(?m)^drawbridge_tunnels\\{[^}]*connector=\"" + Pattern.quote(connectorId) + "\"[^}]*} ([0-9.]+)$")
                    .matcher(text);
            int sum = 0;
            while (m.find()) {
                sum += (int) Double.parseDouble(m.group(1));
            }
            return sum;
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** The admin credential, when this node's output shows one (the node that stored the cluster's secrets). */
    Optional<String> adminCredential() {
        return process == null ? Optional.empty() : process.log().lines().filter(l -> l.startsWith(CREDENTIAL))
                .map(l -> l.substring(CREDENTIAL.length()).strip()).findFirst();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL. */
    void kill() throws InterruptedException {
        process.kill();
    }

    /** SIGTERM, and the exit code once the node has drained and exited (at most {@code grace}). */
    int terminate(Duration grace) throws IOException, InterruptedException {
        return process.terminate(grace);
    }

    /** This start's output. */
    String log() {
        return process == null ? "" : process.log();
    }

    /** Stops it if it runs (SIGTERM, SIGKILL after 5 s). */
    void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.close();
        }
    }

    @Override
    public String toString() {
        return "node " + name + " (" + address + ", " + (process == null ? "never started" : process) + ")";
    }
}
