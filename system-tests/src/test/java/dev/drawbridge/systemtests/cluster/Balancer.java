package dev.drawbridge.systemtests.cluster;

import dev.drawbridge.testsupport.process.DebianPackages;
import dev.drawbridge.testsupport.process.RunAs;
import dev.drawbridge.testsupport.process.ServerProcess;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * haproxy (Debian's, 2.6) as the L4 load balancer in front of the nodes, as docs/scale-out.md sets it up: TCP mode, the
 * public port spread over every node, each node health-checked on its management port's {@code /health/ready}
 * ({@link #CHECK}), a connection refused by a dead node retried on another ({@code option redispatch 1}); and each node's
 * tunnel port published on 127.0.0.1 at the port it advertises. A stats page (CSV) tells each server's state. It runs
 * in the foreground as a child of the test JVM ({@link ServerProcess}), its log (health-check state changes) on stderr.
 */
final class Balancer implements AutoCloseable {
    /** The health check: every 300 ms, down after 2 failures, up after 1 success. */
    static final String CHECK = "inter 300ms fall 2 rise 1";
    /** How long the balancer takes at most to stop sending new connections to a node that stopped answering its check. */
    static final Duration DETECTION = Duration.ofMillis(2 * 300 + 300);
    private static final List<DebianPackages.Need> NEEDS = List.of(new DebianPackages.Need("/usr/sbin/haproxy", "haproxy"));
    private static final HttpClient STATS = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final ServerProcess process;
    private final int statsPort;

    private Balancer(ServerProcess process, int statsPort) {
        this.process = process;
        this.statsPort = statsPort;
    }

    /** Skips the calling test when haproxy is not installed, or fails it under DRAWBRIDGE_REQUIRE_SSO_SERVERS=1. */
    static void requireInstalled() {
        DebianPackages.require("ClusterProcessesTest's load balancer", NEEDS);
    }

    /** The configuration: the public frontend on 127.0.0.1:{@code publicPort}, each node's tunnel at its advertised port. */
    static String config(int publicPort, int statsPort, List<NodeProcess> nodes) {
        StringBuilder c = new StringBuilder("""
                global
                    log stderr format short daemon
                    maxconn 4096
                defaults
                    mode tcp
                    log global
                    timeout connect 2s
                    timeout client 60s
                    timeout server 60s
                    # A connection a dead node refuses goes to another node at once (no turn-around wait on the same one).
                    retries 2
                    option redispatch 1
                listen stats
                    mode http
                    bind 127.0.0.1:%d
                    stats enable
                    stats uri /stats
                frontend public
                    bind 127.0.0.1:%d
                    default_backend nodes
                backend nodes
                    balance roundrobin
                    option httpchk
                    http-check send meth GET uri /health/ready
                    http-check expect status 200
                    # A check's answer may take longer than its interval on a loaded machine (the node asks its database):
                    # without this a slow answer counts as a failure (the check's timeout is the interval by default).
                    timeout check 2s
                    default-server %s
                """.formatted(statsPort, publicPort, CHECK));
        for (NodeProcess n : nodes) {
            c.append("    server ").append(n.name).append(' ').append(n.address).append(':').append(n.publicPort)
                    .append(" check addr 127.0.0.1 port ").append(n.managementPort).append('\n');
        }
        for (NodeProcess n : nodes) {
            // Tunnels are long-lived: idle for a heartbeat at most, but give them an hour.
            c.append("frontend tunnel-").append(n.name).append("\n    bind 127.0.0.1:").append(n.advertisedPort)
                    .append("\n    timeout client 1h\n    default_backend tunnel-").append(n.name)
                    .append("\nbackend tunnel-").append(n.name).append("\n    timeout server 1h\n    server ").append(n.name).append(' ')
                    .append(n.address).append(':').append(n.tunnelPort).append('\n');
        }
        return c.toString();
    }

    static Balancer start(Path logs, int publicPort, int statsPort, List<NodeProcess> nodes) throws IOException, InterruptedException {
        Path dir = RunAs.privateDirectory("haproxy");
        Path cfg = RunAs.write(dir.resolve("haproxy.cfg"), config(publicPort, statsPort, nodes));
        ServerProcess p = ServerProcess.start("haproxy", List.of("/usr/sbin/haproxy", "-db", "-f", cfg.toString()), Map.of(), dir,
                logs.resolve("haproxy.log"), Duration.ofSeconds(20), () -> listening(statsPort) && listening(publicPort));
        return new Balancer(p, statsPort);
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Each node's state in the public pool ("UP", "DOWN", "UP 1/2", ...) and the connections it was given, from the stats. */
    Map<String, Server> servers() {
        Map<String, Server> out = new HashMap<>();
        try {
            String csv = STATS.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort + "/stats;csv"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
            // # pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,...
            for (String line : csv.lines().toList()) {
                String[] f = line.split(",", -1);
                if (f.length > 17 && f[0].equals("nodes") && !f[1].equals("BACKEND")) {
                    out.put(f[1], new Server(f[17], Long.parseLong(f[7]), Long.parseLong(f[13].isEmpty() ? "0" : f[13]),
                            Long.parseLong(f[16].isEmpty() ? "0" : f[16])));
                }
            }
        } catch (IOException e) {
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    /** One node in the public pool: its state, connections given to it, failed connects, connections redispatched from it. */
    record Server(String status, long sessions, long connectErrors, long redispatched) {
        boolean up() {
            return status.startsWith("UP");
        }
    }

    /** haproxy's output so far (its log: health-check state changes). */
    String log() {
        return process.log();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
