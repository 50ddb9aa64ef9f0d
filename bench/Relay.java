import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP relay on 127.0.0.1 that delays every chunk by a fixed time in each direction without limiting bandwidth, for
 * bench/deployed.sh's long-link figure (a 50 ms round trip: 25 ms each way). Each direction has a reader that stamps
 * each chunk it reads with its due time and a writer that sends it once due; what is in flight is bounded (BUFFER bytes
 * per direction, default 64 MiB: far above what a gigabit link holds in 25 ms), so a reader that is faster than the
 * writer is held back by TCP, as on a real link with a full queue. The relay ends TCP on both sides, so the endpoints'
 * TCP windows do not see the delay: only flow control above TCP (the tunnel's stream windows) does.
 *
 * <pre>
 *   java Relay.java &lt;listen port&gt; &lt;one-way delay ms&gt; connect             an HTTP CONNECT proxy (*.localhost is 127.0.0.1)
 *   java Relay.java &lt;listen port&gt; &lt;one-way delay ms&gt; forward &lt;host:port&gt;  a plain forwarder
 * </pre>
 * Prints "relay listening on PORT" once it accepts connections. Not part of Drawbridge: a benchmark tool.
 */
public final class Relay {
    private static final int CHUNK = 256 * 1024;
    private static final int BUFFER = Integer.getInteger("relay.buffer", 64 * 1024 * 1024);

    private record Chunk(long due, byte[] data, int length) { }

    public static void main(String[] args) throws IOException {
        if (args.length < 3 || !(args[2].equals("connect") || args[2].equals("forward") && args.length == 4)) {
            System.err.println("usage: java Relay.java <listen port> <one-way delay ms> connect | forward <host:port>");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        long delayNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[1]));
        String target = args.length == 4 ? args[3] : null;
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 512);
            System.out.println("relay listening on " + server.getLocalPort());
            System.out.flush();
            while (true) {
                Socket client = server.accept();
                Thread.ofPlatform().daemon().start(() -> serve(client, target, delayNanos));
            }
        }
    }

    private static void serve(Socket client, String target, long delayNanos) {
        try {
            client.setTcpNoDelay(true);
            InputStream clientIn = client.getInputStream();
            String hostPort = target;
            if (hostPort == null) { // HTTP CONNECT: read the request head, answer 200, then relay
                String head = readHead(clientIn);
                String[] first = head.split("\r\n", 2)[0].split(" ");
                if (first.length < 3 || !first[0].equals("CONNECT")) {
                    client.getOutputStream().write("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    client.close();
                    return;
                }
                hostPort = first[1];
            }
            int colon = hostPort.lastIndexOf(':');
            String host = hostPort.substring(0, colon);
            if (host.equals("localhost") || host.endsWith(".localhost")) {
                host = "127.0.0.1";
            }
            Socket upstream = new Socket();
            upstream.connect(new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1))), 10_000);
            upstream.setTcpNoDelay(true);
            if (target == null) {
                client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                client.getOutputStream().flush();
            }
            AtomicInteger open = new AtomicInteger(2); // directions still open: both sockets close when none is
            pump(clientIn, upstream, client, delayNanos, open);
            pump(upstream.getInputStream(), client, upstream, delayNanos, open);
        } catch (IOException | RuntimeException e) {
            close(client);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) { // byte by byte: nothing after the head may be consumed
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
            if (n > 16 * 1024) {
                throw new IOException("request head too long");
            }
        }
        throw new IOException("closed before the request head ended");
    }

    /** One direction: from {@code in} (of socket {@code source}) to {@code to}, each chunk {@code delayNanos} late. */
    private static void pump(InputStream in, Socket to, Socket source, long delayNanos, AtomicInteger open) {
        LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        Semaphore room = new Semaphore(BUFFER);
        Thread.ofPlatform().daemon().start(() -> {
            try {
                while (true) {
                    byte[] buf = new byte[CHUNK];
                    int n = in.read(buf);
                    if (n < 0) {
                        queue.put(new Chunk(System.nanoTime() + delayNanos, null, 0));
                        return;
                    }
                    room.acquire(n);
                    queue.put(new Chunk(System.nanoTime() + delayNanos, buf, n));
                }
            } catch (IOException | InterruptedException e) {
                queue.add(new Chunk(System.nanoTime(), null, -1));
            }
        });
        Thread.ofPlatform().daemon().start(() -> {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk c = queue.take();
                    long wait;
                    while ((wait = c.due() - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    if (c.data() == null) {
                        if (c.length() < 0) {
                            close(to);
                            close(source);
                        } else if (open.decrementAndGet() == 0) {
                            close(to);
                            close(source);
                        } else {
                            to.shutdownOutput();
                        }
                        return;
                    }
                    out.write(c.data(), 0, c.length());
                    room.release(c.length());
                }
            } catch (IOException | InterruptedException e) {
                close(to);
                close(source);
            }
        });
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
