package dev.drawbridge.systemtests.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP relay, as a NAT or L4 load balancer in front of a node's tunnel port: every connection it accepts is
 * piped to {@code 127.0.0.1:target} (set once the node listens), or closed at once while there is no target (a listener
 * that only counts who dials it). Counts the connections it accepted.
 */
final class TcpRelay implements AutoCloseable {
    private final ServerSocket listener;
    private final AtomicInteger target = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();

    TcpRelay() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("relay-" + listener.getLocalPort()).start(this::acceptLoop);
    }

    int port() {
        return listener.getLocalPort();
    }

    void target(int port) {
        target.set(port);
    }

    int accepted() {
        return accepted.get();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket in = listener.accept();
                accepted.incrementAndGet();
                int to = target.get();
                if (to == 0) {
                    in.close();
                    continue;
                }
                Socket out = new Socket(InetAddress.getLoopbackAddress(), to);
                Thread.ofVirtual().start(() -> pipe(in, out));
                Thread.ofVirtual().start(() -> pipe(out, in));
            } catch (IOException e) {
                // closed, or the target refused: the client sees the connection drop
            }
        }
    }

    private static void pipe(Socket from, Socket to) {
        try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
            i.transferTo(o);
        } catch (IOException e) {
            // one side closed
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
