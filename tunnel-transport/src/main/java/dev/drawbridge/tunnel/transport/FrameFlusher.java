package dev.drawbridge.tunnel.transport;

import dev.drawbridge.model.tunnel.LengthPrefixedFrames;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.IteratingCallback;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Writes a {@link FrameConnection}'s queued frames one gathering write at a time: up to {@value #MAX_GATHER} buffers or
 * {@value #MAX_GATHER_BYTES} bytes per {@link EndPoint#write(org.eclipse.jetty.util.Callback, ByteBuffer...)}, so that
 * small frames share TLS records and system calls. WINDOW, PING and PONG go in a control queue that is written first
 * (they refer to nothing queued after them); every other frame keeps its order (a RESET overtaking its OPEN would be
 * dropped). Control frames are outside the data bytes but bounded: past {@value #MAX_QUEUED_PROBES} queued PINGs and
 * PONGs together, further ones are dropped (counted as written: a later probe serves as well). WINDOWs are never dropped
 * (credit lost would stall a stream) but coalesced: a WINDOW for a stream that already has one queued adds its increment
 * to that one (and counts as written), so at most one per stream waits. The data consumed does not bound them: a receiver
 * checks the peer against the credit it granted, queued or not, so a peer that sends within that credit and never reads
 * would otherwise have this side queue a WINDOW per quarter window consumed, for ever.
 *
 * <p>Each entry's {@code written} or {@code failed} runs exactly once, outside the flusher's lock; its pooled buffer is
 * released then. Once closed, everything queued and everything offered after fails.
 */
final class FrameFlusher extends IteratingCallback {
    static final int MAX_GATHER = 32;
    static final int MAX_GATHER_BYTES = 256 * 1024;
    static final int MAX_QUEUED_PROBES = 64;
    /** Prefix, type, stream id: where a WINDOW's increment starts in its encoded buffer. */
    private static final int WINDOW_INCREMENT_OFFSET = LengthPrefixedFrames.PREFIX + 1 + 4;
    private static final int WINDOW_ENCODED = WINDOW_INCREMENT_OFFSET + 4;

    /** One frame to write: its pooled buffer (length prefix included) and its two callbacks. */
    record Entry(RetainableByteBuffer buffer, LengthPrefixedFrames.Kind kind, Runnable written, Consumer<Throwable> failed) {
        void succeed() {
            buffer.release();
            written.run();
        }

        void fail(Throwable cause) {
            buffer.release();
            failed.accept(cause);
        }
    }

    private final EndPoint endPoint;
    private final Consumer<Throwable> onWriteFailure;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Entry> control = new ArrayDeque<>();
    private final ArrayDeque<Entry> ordered = new ArrayDeque<>();
    private final List<Entry> inFlight = new ArrayList<>();
    /** The WINDOW queued (not yet in flight) per stream id, to coalesce into. */
    private final Map<Integer, Entry> queuedWindows = new HashMap<>();
    private int queuedProbes;
    private Throwable closed;

    /** @param onWriteFailure told (once) when a write fails: the connection is broken */
    FrameFlusher(EndPoint endPoint, Consumer<Throwable> onWriteFailure) {
        this.endPoint = endPoint;
        this.onWriteFailure = onWriteFailure;
    }

    @Override
    public InvocationType getInvocationType() {
        // Completing a write runs callbacks that only release budget and take the next batch: fine on the selector.
        return InvocationType.NON_BLOCKING;
    }

    /** Queues {@code entry} and starts writing if idle; fails it at once if closed, completes it if dropped. */
    void offer(Entry entry) {
        Throwable failure;
        boolean dropped = false;
        lock.lock();
        try {
            failure = closed;
            if (failure == null) {
                switch (entry.kind()) {
                    case ORDERED -> ordered.add(entry);
                    case WINDOW -> {
                        if (coalesced(entry)) {
                            dropped = true;
                        } else {
                            control.add(entry);
                        }
                    }
                    case PING, PONG -> {
                        if (queuedProbes >= MAX_QUEUED_PROBES) {
                            dropped = true;
                        } else {
                            queuedProbes++;
                            control.add(entry);
                        }
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        if (failure != null) {
            entry.fail(failure);
        } else if (dropped) {
            entry.succeed();
        } else {
            iterate();
        }
    }

    @Override
    protected Action process() {
        ByteBuffer[] buffers;
        lock.lock();
        try {
            if (closed != null) {
                return Action.IDLE;
            }
            long bytes = 0;
            while (inFlight.size() < MAX_GATHER && bytes < MAX_GATHER_BYTES) {
                Entry e = control.poll();
                if (e != null) {
                    if (e.kind() != LengthPrefixedFrames.Kind.WINDOW) {
                        queuedProbes--;
                    } else {
                        queuedWindows.remove(windowStream(e.buffer().getByteBuffer()), e);
                    }
                } else {
                    e = ordered.poll();
                    if (e == null) {
                        break;
                    }
                    bytes += e.buffer().remaining();
                }
                inFlight.add(e);
            }
            if (inFlight.isEmpty()) {
                return Action.IDLE;
            }
            buffers = new ByteBuffer[inFlight.size()];
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = inFlight.get(i).buffer().getByteBuffer();
            }
        } finally {
            lock.unlock();
        }
        endPoint.write(this, buffers);
        return Action.SCHEDULED;
    }

    @Override
    protected void onSuccess() {
        List<Entry> done;
        lock.lock();
        try {
            done = List.copyOf(inFlight);
            inFlight.clear();
        } finally {
            lock.unlock();
        }
        done.forEach(Entry::succeed);
    }

    @Override
    protected void onCompleteFailure(Throwable cause) {
        if (failAll(cause, true)) {
            onWriteFailure.accept(cause);
        }
    }

    /**
     * Fails everything queued and offered from now on. The write in flight, if any, fails as its endpoint closes
     * ({@link #onCompleteFailure}, through the abort): its buffers are not released while the endpoint may use them.
     */
    void close(Throwable cause) {
        failAll(cause, false);
        abort(cause);
    }

    /** Fails what is queued (and in flight if asked); returns whether this was the first failure. */
    private boolean failAll(Throwable cause, boolean withInFlight) {
        List<Entry> failed = new ArrayList<>();
        boolean first;
        lock.lock();
        try {
            first = closed == null;
            if (first) {
                closed = cause == null ? new ClosedChannelException() : cause;
            }
            if (withInFlight) {
                failed.addAll(inFlight);
                inFlight.clear();
            }
            failed.addAll(control);
            failed.addAll(ordered);
            control.clear();
            ordered.clear();
            queuedWindows.clear();
            queuedProbes = 0;
        } finally {
            lock.unlock();
        }
        Throwable reason = closed;
        failed.forEach(e -> e.fail(reason));
        return first;
    }

    /** Under the lock: adds {@code entry}'s increment to the WINDOW queued for its stream, if any; false if not. */
    private boolean coalesced(Entry entry) {
        ByteBuffer add = entry.buffer().getByteBuffer();
        int stream = windowStream(add);
        if (stream <= 0) {
            return false;
        }
        Entry queued = queuedWindows.get(stream);
        if (queued == null) {
            queuedWindows.put(stream, entry);
            return false;
        }
        ByteBuffer into = queued.buffer().getByteBuffer();
        int at = into.position() + WINDOW_INCREMENT_OFFSET;
        long sum = (long) into.getInt(at) + add.getInt(add.position() + WINDOW_INCREMENT_OFFSET);
        if (sum > Integer.MAX_VALUE) {
            // Too much credit for one frame: this one queues and takes the stream's place.
            queuedWindows.put(stream, entry);
            return false;
        }
        into.putInt(at, (int) sum);
        return true;
    }

    /** The stream id of an encoded WINDOW (prefix included), or -1 if the buffer is not one. */
    private static int windowStream(ByteBuffer b) {
        if (b.remaining() != WINDOW_ENCODED || b.getInt(b.position()) != WINDOW_ENCODED - LengthPrefixedFrames.PREFIX) {
            return -1;
        }
        return b.getInt(b.position() + LengthPrefixedFrames.PREFIX + 1);
    }

    /** Buffer capacity held by the frames queued and not yet handed to the endpoint (for tests). */
    long queuedCapacity() {
        lock.lock();
        try {
            long sum = 0;
            for (Entry e : control) {
                sum += e.buffer().capacity();
            }
            for (Entry e : ordered) {
                sum += e.buffer().capacity();
            }
            return sum;
        } finally {
            lock.unlock();
        }
    }

    /** Frames queued and not yet handed to the endpoint (for tests). */
    int queued() {
        lock.lock();
        try {
            return control.size() + ordered.size();
        } finally {
            lock.unlock();
        }
    }
}
