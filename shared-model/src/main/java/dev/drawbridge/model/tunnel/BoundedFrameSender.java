package dev.drawbridge.model.tunnel;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Sends frames without waiting for each write to finish, while bounding what is queued: a sender
 * blocks only when more than {@code budgetBytes} are written but not yet flushed. Waiting for every
 * frame cost a thread hand-off per frame; this keeps memory bounded (per-stream windows bound each
 * stream, the budget bounds the connection) and lets the transport batch frames into fewer writes.
 */
public final class BoundedFrameSender implements Multiplexer.FrameSender {
    /** The transport's asynchronous write: exactly one of the two callbacks runs for each buffer. */
    @FunctionalInterface
    public interface Transport {
        void write(ByteBuffer frame, Runnable written, Consumer<Throwable> failed) throws IOException;

        /**
         * Writes the DATA frame of {@code len} bytes of {@code b} from {@code off}, as {@link #write} does its encoding
         * ({@link FrameCodec#encodeData}, which is what this default does); the array may be reused once this returns. A
         * transport with a framing of its own overrides it to encode straight into its output buffer.
         */
        default void writeData(int streamId, byte[] b, int off, int len, Runnable written, Consumer<Throwable> failed) throws IOException {
            write(FrameCodec.encodeData(streamId, b, off, len), written, failed);
        }
    }

    public static final int DEFAULT_BUDGET = 4 * 1024 * 1024;
    /** PINGs and PONGs queued past which further ones are dropped (they are probes: a later one serves as well). */
    public static final int MAX_QUEUED_PROBES = 64;
    /**
     * What each queued frame costs of the budget besides its bytes: the objects that carry it (buffer, callbacks, the
     * transport's queue entry; about this much on the heap). Without it a budget of bytes is no bound on memory: 4 MiB of
     * 5-byte ENDs or short RESETs is 800,000 queued frames, each holding a couple of hundred bytes, or a 4 KiB pooled buffer.
     */
    public static final int FRAME_OVERHEAD = 128;

    private final Transport transport;
    private final Consumer<Throwable> onFailure;
    private final Semaphore budget;
    private final int budgetBytes;
    private final ReentrantLock order = new ReentrantLock();
    private final AtomicInteger queuedProbes = new AtomicInteger();

    /**
     * @param onFailure called when a write fails (the connection is broken: close it)
     */
    public BoundedFrameSender(Transport transport, int budgetBytes, Consumer<Throwable> onFailure) {
        if (budgetBytes < FrameCodec.MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("budget must hold at least one frame of " + FrameCodec.MAX_FRAME_SIZE + " bytes");
        }
        this.transport = transport;
        this.onFailure = onFailure;
        this.budget = new Semaphore(budgetBytes);
        this.budgetBytes = budgetBytes;
    }

    /**
     * Sends {@code frame}. WINDOW, PING and PONG never wait for the budget: they are small, the receive path sends PONGs
     * (and must not block), and credit or a round-trip sample that waited behind megabytes of data would throttle the very
     * streams it serves. WINDOWs are bounded by the data consumed (one per quarter window read); PINGs and PONGs past
     * {@value #MAX_QUEUED_PROBES} queued are dropped.
     */
    @Override
    public void send(Frame frame) throws IOException {
        switch (frame) {
            case Frame.Window w -> sendControl(FrameCodec.encode(w), false);
            case Frame.Ping p -> sendControl(FrameCodec.encode(p), true);
            case Frame.Pong p -> sendControl(FrameCodec.encode(p), true);
            default -> {
                ByteBuffer buf = FrameCodec.encode(frame);
                int n = buf.remaining();
                sendBudgeted(n, (written, failed) -> transport.write(buf, written, failed));
            }
        }
    }

    @Override
    public void sendData(int streamId, byte[] b, int off, int len) throws IOException {
        if (streamId <= 0) {
            throw new IllegalArgumentException("stream id must be positive: " + streamId);
        }
        Objects.checkFromIndexSize(off, len, b.length);
        sendBudgeted(5 + len, (written, failed) -> transport.writeData(streamId, b, off, len, written, failed));
    }

    /** One write handed to the transport with its two callbacks. */
    @FunctionalInterface
    private interface Write {
        void to(Runnable written, Consumer<Throwable> failed) throws IOException;
    }

    private void sendControl(ByteBuffer buf, boolean probe) throws IOException {
        if (probe && queuedProbes.incrementAndGet() > MAX_QUEUED_PROBES) {
            queuedProbes.decrementAndGet();
            return;
        }
        Runnable done = probe ? queuedProbes::decrementAndGet : () -> { };
        order.lock();
        try {
            transport.write(buf, done, failure -> {
                done.run();
                onFailure.accept(failure);
            });
        } catch (IOException | RuntimeException e) {
            done.run();
            throw e;
        } finally {
            order.unlock();
        }
    }

    @Override
    public boolean canSendWithoutWaiting(int bytes) {
        return budget.availablePermits() >= charge(bytes);
    }

    /** What a frame of {@code bytes} takes of the budget: its bytes and {@link #FRAME_OVERHEAD}, at most all of it. */
    private int charge(int bytes) {
        return (int) Math.min((long) bytes + FRAME_OVERHEAD, budgetBytes);
    }

    private void sendBudgeted(int bytes, Write write) throws IOException {
        int n = charge(bytes);
        try {
            budget.acquire(n);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting to send on the tunnel");
        }
        // Frames enter the transport in the order their senders got here.
        order.lock();
        try {
            write.to(() -> budget.release(n), failure -> {
                budget.release(n);
                onFailure.accept(failure);
            });
        } catch (IOException | RuntimeException e) {
            budget.release(n);
            throw e;
        } finally {
            order.unlock();
        }
    }

    /** Budget taken by frames queued but not yet written: their bytes and {@link #FRAME_OVERHEAD} each (diagnostics, tests). */
    public int queuedBytes(int budgetBytes) {
        return budgetBytes - budget.availablePermits();
    }
}
