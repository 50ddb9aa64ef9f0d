package dev.drawbridge.proxy.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay to the test PostgreSQL through which a node reaches the database, for the faults a node sees: {@link #cut}
 * (every connection reset and new ones refused: the database down) and {@link #blackhole} (packets lost without a reset:
 * a partition, a failed-over address, a firewall dropping state). A connection blackholed stays dead for good, as a TCP
 * connection whose peer vanished does: only connections made after {@code blackhole(false)} carry data again.
 */
public final class DatabaseRelay implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final int target;
    private volatile boolean cut;
    private volatile boolean blackholed;

    /** One relayed connection; once dead, whatever either side sends is dropped. */
    private static final class Connection {
        final Socket client;
        final Socket upstream;
        volatile boolean dead;

        Connection(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void close() {
            for (Socket s : new Socket[]{client, upstream}) {
                try {
                    if (s != null) {
                        s.close();
                    }
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }
    }

    /** A relay to PostgreSQL on the loopback port {@code target}. */
    public DatabaseRelay(int target) throws IOException {
        this.target = target;
        Thread.ofVirtual().start(this::accept);
    }

    /** {@code url} (a DRAWBRIDGE_TEST_PG_URL on 127.0.0.1:5432) through this relay. */
    public String url(String url) {
        return url.replace("127.0.0.1:" + target, "127.0.0.1:" + port());
    }

    public int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (cut) {
                    client.close();
                    continue;
                }
                Connection c = blackholed ? new Connection(client, null) : new Connection(client, new Socket(InetAddress.getLoopbackAddress(), target));
                c.dead = blackholed;
                connections.add(c);
                pipe(c, c.client, c.upstream);
                if (c.upstream != null) {
                    pipe(c, c.upstream, c.client);
                }
            } catch (IOException e) {
                // the relay closed
            }
        }
    }

    /** Resets every connection and refuses new ones ({@code true}), or relays again. */
    public void cut(boolean on) {
        cut = on;
        if (on) {
            connections.forEach(Connection::close);
            connections.clear();
        }
    }

    /** Drops every byte of every connection open now or made until {@code blackhole(false)}, without closing any. */
    public void blackhole(boolean on) {
        blackholed = on;
        if (on) {
            connections.forEach(c -> c.dead = true);
        }
    }

    private void pipe(Connection c, Socket from, Socket to) {
        Thread.ofVirtual().start(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream()) {
                OutputStream out = to == null ? OutputStream.nullOutputStream() : to.getOutputStream();
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (!c.dead) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // cut, or the peer closed
            } finally {
                if (!c.dead) {
                    c.close();
                    connections.remove(c);
                }
            }
        });
    }

    @Override
    public void close() throws IOException {
        server.close();
        connections.forEach(Connection::close);
        connections.clear();
    }
}
