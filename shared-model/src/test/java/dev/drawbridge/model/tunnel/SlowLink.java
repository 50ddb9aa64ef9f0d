package dev.drawbridge.model.tunnel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Test fixture: one direction of a tunnel over a link with a one-way delay and a bandwidth, in memory. Every frame is
 * encoded, leaves the link's sender once the bytes ahead of it have (at the bandwidth), and is decoded and delivered in
 * order one delay later, on the link's own thread, as a real transport would. Sending never blocks (the link buffers
 * like a large socket buffer; flow control bounds what is in flight). Frames matching {@code drop} vanish.
 */
final class SlowLink implements Multiplexer.FrameSender, AutoCloseable {
    private record InFlight(long deliverAt, byte[] bytes) {
    }

    private final long delayNanos;
    private final double nanosPerByte;
    private final Predicate<Frame> drop;
    private final BlockingQueue<InFlight> queue = new LinkedBlockingQueue<>();
    private final Thread deliverer;
    private final AtomicReference<Throwable> failure;
    private long lastDeparture = System.nanoTime();
    private volatile boolean closed;

    /**
     * @param failure the first exception delivering a frame threw is kept here
     */
    SlowLink(String name, Duration oneWay, long bytesPerSecond, Predicate<Frame> drop, Consumer<Frame> deliver,
             AtomicReference<Throwable> failure) {
        this.delayNanos = oneWay.toNanos();
        this.nanosPerByte = 1e9 / bytesPerSecond;
        this.drop = drop;
        this.failure = failure;
        this.deliverer = Thread.ofPlatform().daemon().name(name).start(() -> deliver(deliver));
    }

    @Override
    public void send(Frame frame) throws IOException {
        if (closed) {
            throw new IOException("link closed");
        }
        if (drop.test(frame)) {
            return;
        }
        ByteBuffer encoded = FrameCodec.encode(frame);
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        synchronized (this) {
            long departure = Math.max(System.nanoTime(), lastDeparture) + (long) (bytes.length * nanosPerByte);
            lastDeparture = departure;
            queue.add(new InFlight(departure + delayNanos, bytes));
        }
    }

    private void deliver(Consumer<Frame> target) {
        try {
            while (!closed) {
                InFlight f = queue.take();
                for (long wait = f.deliverAt() - System.nanoTime(); wait > 0; wait = f.deliverAt() - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                target.accept(FrameCodec.decode(ByteBuffer.wrap(f.bytes())));
            }
        } catch (InterruptedException e) {
            // closed
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }

    @Override
    public void close() {
        closed = true;
        deliverer.interrupt();
    }
}
