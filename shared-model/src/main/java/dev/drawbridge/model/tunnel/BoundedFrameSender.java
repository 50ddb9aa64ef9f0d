package dev.drawbridge.model.tunnel;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Semaphore;
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
    }

    public static final int DEFAULT_BUDGET = 4 * 1024 * 1024;

    private final Transport transport;
    private final Consumer<Throwable> onFailure;
    private final Semaphore budget;
    private final ReentrantLock order = new ReentrantLock();

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
    }

    @Override
    public void send(Frame frame) throws IOException {
        sendEncoded(FrameCodec.encode(frame));
    }

    @Override
    public void sendData(int streamId, byte[] b, int off, int len) throws IOException {
        sendEncoded(FrameCodec.encodeData(streamId, b, off, len));
    }

    @Override
    public boolean canSendWithoutWaiting(int bytes) {
        return budget.availablePermits() >= bytes;
    }

    private void sendEncoded(ByteBuffer buf) throws IOException {
        int n = buf.remaining();
        try {
            budget.acquire(n);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting to send on the tunnel");
        }
        // Frames enter the transport in the order their senders got here.
        order.lock();
        try {
            transport.write(buf, () -> budget.release(n), failure -> {
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

    /** Bytes queued but not yet written (for diagnostics and tests). */
    public int queuedBytes(int budgetBytes) {
        return budgetBytes - budget.availablePermits();
    }
}
