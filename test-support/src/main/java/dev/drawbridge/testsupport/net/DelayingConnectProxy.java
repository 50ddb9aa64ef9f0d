package dev.drawbridge.testsupport.net;

import dev.drawbridge.model.http.LocalhostNames;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;

/**
 * An HTTP {@code CONNECT} proxy on loopback that holds every byte it relays for a fixed time each way, so a connector
 * going through it ({@code startConnectorThrough}) sees a long link: a one-way delay of {@code d} makes a round trip of
 * 2·d. Each direction buffers at most {@link #BUFFER} bytes (then stops reading, as a link's queue would push back), so
 * its memory is bounded. Resolves {@code *.localhost} to loopback as the test servers need. Run by hand:
 * {@code main(listenPort, oneWayMillis)}.
 */
public final class DelayingConnectProxy implements AutoCloseable {
    /** Bytes in flight per direction: beyond this the relay stops reading. */
    public static final int BUFFER = 64 * 1024 * 1024;

    private record Chunk(long due, byte[] bytes, int length) {
    }

    private final ServerSocket listener;
    private final long delayNanos;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private DelayingConnectProxy(ServerSocket listener, Duration oneWay) {
        this.listener = listener;
        this.delayNanos = oneWay.toNanos();
    }

    /** Listens on an ephemeral loopback port, delaying each direction by {@code oneWay}. */
    public static DelayingConnectProxy start(Duration oneWay) throws IOException {
        return start(0, oneWay);
    }

    static DelayingConnectProxy start(int port, Duration oneWay) throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        DelayingConnectProxy p = new DelayingConnectProxy(s, oneWay);
        Thread.ofPlatform().daemon().name("delaying-proxy").start(p::accept);
        return p;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                sockets.add(client);
                Thread.ofVirtual().start(() -> connect(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void connect(Socket client) {
        try {
            String head = readHead(client.getInputStream());
            String[] line = head.split("\r\n", 2)[0].split(" ");
            if (line.length != 3 || !line[0].equals("CONNECT")) {
                client.getOutputStream().write("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                client.close();
                return;
            }
            URI target = URI.create("//" + line[1]);
            InetAddress address = LocalhostNames.loopbackFor(target.getHost()).orElseGet(() -> {
                try {
                    return InetAddress.getByName(target.getHost());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            Socket upstream = new Socket(address, target.getPort());
            sockets.add(upstream);
            client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            relay(client, upstream);
            relay(upstream, client);
        } catch (IOException | RuntimeException e) {
            closeQuietly(client);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (head.size() < 8192) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the end of the CONNECT request");
            }
            head.write(b);
            String s = head.toString(StandardCharsets.US_ASCII);
            if (s.endsWith("\r\n\r\n")) {
                return s;
            }
        }
        throw new IOException("CONNECT request too long");
    }

    /** Copies {@code from} to {@code to}, each chunk written {@code delay} after it was read. */
    private void relay(Socket from, Socket to) {
        BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        Semaphore room = new Semaphore(BUFFER);
        Thread.ofVirtual().start(() -> {
            try (InputStream in = from.getInputStream()) {
                while (true) {
                    byte[] buf = new byte[64 * 1024];
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    room.acquire(n);
                    queue.add(new Chunk(System.nanoTime() + delayNanos, buf, n));
                }
            } catch (IOException | InterruptedException e) {
                // the connection is gone
            }
            queue.add(new Chunk(System.nanoTime() + delayNanos, null, -1));
        });
        Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    Chunk c = queue.take();
                    for (long wait = c.due() - System.nanoTime(); wait > 0; wait = c.due() - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                    if (c.length() < 0) {
                        to.shutdownOutput();
                        return;
                    }
                    to.getOutputStream().write(c.bytes(), 0, c.length());
                    room.release(c.length());
                }
            } catch (IOException | InterruptedException e) {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        sockets.forEach(DelayingConnectProxy::closeQuietly);
    }

    /** Runs the proxy by hand: {@code listenPort oneWayMillis}. */
    public static void main(String[] args) throws Exception {
        try (DelayingConnectProxy p = start(Integer.parseInt(args[0]), Duration.ofMillis(Long.parseLong(args[1])))) {
            System.out.println("delaying CONNECT proxy on " + p.uri());
            Thread.currentThread().join();
        }
    }
}
