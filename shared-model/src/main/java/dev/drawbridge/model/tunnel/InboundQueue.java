package dev.drawbridge.model.tunnel;

import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The receiving half of one {@link TunnelStream}: the chunks the peer sent that the reader has not taken yet, and the
 * flow control over them ({@link ReceiveWindow}). Guarded by the stream's lock; never blocks (the multiplexer adds on the
 * transport's thread).
 *
 * <p>Every byte queued counts against the stream's window until the reader takes it, so the window bounds what a stream
 * holds; the growth of the window goes back to the tunnel's budget once the data ended and was all taken, or the stream
 * failed ({@link #fail}).
 *
 * <p>A chunk may be a retained slice of the transport's input buffer ({@link StreamChunk#retained}): it counts against
 * the window exactly as bytes of its own do, and it is released exactly once, by whoever ends up with it: the reader
 * that took it, or this queue when the stream fails (reset either way, the tunnel closed), when merging copies it, or
 * when the stream is dropped unread and collected (a {@link Cleaner}, as {@link ReceiveWindow}'s growth).
 */
final class InboundQueue {
    /** Releases the slices of queues dropped unread; a daemon thread for the whole process. */
    private static final Cleaner DROPPED = Cleaner.create();

    /** Queued chunks past which the newest are merged ({@link #coalesceNewest}). */
    static final int MAX_QUEUED_CHUNKS = 1024;

    private final Chunks chunks = new Chunks();
    /** Registered when the first retained slice is queued (most streams never get one). */
    private Cleaner.Cleanable cleanable;
    /** Whether each chunk is a unit the reader depends on (a WebSocket message fragment): never merged. */
    private final boolean chunksAreFragments;
    private final ReceiveWindow window;
    private long buffered;
    private long received;
    private boolean ended;

    InboundQueue(Multiplexer mux, boolean chunksAreFragments) {
        this.chunksAreFragments = chunksAreFragments;
        // A WebSocket stream's chunks cannot be merged, so its window keeps its initial size, which bounds what tiny
        // fragments can cost.
        this.window = new ReceiveWindow(mux, chunksAreFragments ? FlowControl.FIXED : mux.flowControl());
    }

    /**
     * Why {@code length} more bytes may not be queued (a protocol error: the stream is to be reset), or null if they may.
     * An empty DATA frame carries no credit but would take a queue slot: no honest sender writes one (writes of nothing
     * send nothing, a WebSocket fragment has its flags byte), so it is a protocol error like an overrun.
     */
    String refusal(int length) {
        if (ended) {
            return "data after end";
        }
        if (length == 0) {
            return "empty DATA frame";
        }
        return window.accepts(length) ? null : "flow-control window exceeded";
    }

    /** The queued chunks; must not refer to the queue (it is also the clean-up of a queue dropped unread). */
    private static final class Chunks extends ArrayDeque<StreamChunk> implements Runnable {
        @Override
        public void run() {
            StreamChunk c;
            while ((c = poll()) != null) {
                c.release();
            }
        }
    }

    /** Queues a chunk {@link #refusal} accepted. */
    void add(byte[] bytes) {
        add(StreamChunk.of(bytes));
    }

    /**
     * Queues a retained slice {@link #refusal} accepted; {@code release} runs exactly once (when the reader is done with
     * it, or the stream fails or is dropped).
     */
    void add(ByteBuffer slice, Runnable release) {
        if (cleanable == null) {
            cleanable = DROPPED.register(this, chunks);
        }
        add(StreamChunk.retained(slice, release));
    }

    private void add(StreamChunk chunk) {
        int n = chunk.length();
        window.onReceived(n);
        chunks.add(chunk);
        if (chunks.size() > MAX_QUEUED_CHUNKS && !chunksAreFragments) {
            coalesceNewest();
        }
        buffered += n;
        received += n;
    }

    /**
     * The window counts payload bytes, but each queued chunk costs an array besides: a peer sending tiny DATA frames
     * (1 byte each) would make a window of credit cost some thirty times its size in heap. So past
     * {@value #MAX_QUEUED_CHUNKS} queued chunks the newest half become one array; each byte is copied a few times at
     * most (the merged arrays grow geometrically), and a queue holds few arrays per byte of window. Not for a WebSocket
     * stream, whose chunks are its message fragments (its window does not grow instead). Retained slices merged are
     * copied and released.
     */
    private void coalesceNewest() {
        int n = MAX_QUEUED_CHUNKS / 2;
        StreamChunk[] newest = new StreamChunk[n];
        int total = 0;
        for (int i = n - 1; i >= 0; i--) {
            newest[i] = chunks.pollLast();
            total += newest[i].length();
        }
        byte[] merged = new byte[total];
        int at = 0;
        for (StreamChunk chunk : newest) {
            int len = chunk.length();
            chunk.buffer().get(merged, at, len);
            chunk.release();
            at += len;
        }
        chunks.addLast(StreamChunk.of(merged));
    }

    /** The peer's half ended: nothing more is queued. */
    void end() {
        ended = true;
        releaseIfDrained();
    }

    boolean ended() {
        return ended;
    }

    boolean isEmpty() {
        return chunks.isEmpty();
    }

    /**
     * Takes the next chunk (null when none waits) and returns it with the credit to grant the peer for it (0: none now;
     * never after the end, when the window's growth goes back to the tunnel once all was taken instead).
     */
    Taken take() {
        StreamChunk chunk = chunks.poll();
        if (chunk == null) {
            return null;
        }
        buffered -= chunk.length();
        int credit = window.onConsumed(chunk.length());
        if (ended) {
            releaseIfDrained();
            credit = 0;
        }
        return new Taken(chunk, credit);
    }

    /** A chunk taken (the taker releases it) and the credit to grant for it. */
    record Taken(StreamChunk chunk, int grant) {
    }

    /**
     * The whole body if it ended and at most one chunk waits (empty: none), taking it without granting credit (the peer
     * sends nothing more); null otherwise.
     */
    byte[] takeWhole() {
        if (!ended || chunks.size() > 1) {
            return null;
        }
        byte[] body = chunks.isEmpty() ? new byte[0] : chunks.poll().toArrayAndRelease();
        buffered -= body.length;
        releaseIfDrained();
        return body;
    }

    /** The stream failed: releases what waits and gives the window's growth back. Idempotent. */
    void fail() {
        release();
        buffered = 0;
        window.release();
    }

    /** Once the inbound data ended and was all read, the window's growth goes back to the tunnel. */
    private void releaseIfDrained() {
        if (ended && chunks.isEmpty()) {
            window.release();
            release();
        }
    }

    /** Releases every slice still queued, and the clean-up with it (nothing left for the collector to do). */
    private void release() {
        if (cleanable != null) {
            cleanable.clean();
        } else {
            chunks.run();
        }
    }

    /** Bytes received and not yet taken. */
    long buffered() {
        return buffered;
    }

    /** Bytes received in all. */
    long received() {
        return received;
    }

    /** The window granted now: the most received data it lets wait unread. */
    int window() {
        return window.window();
    }

    /** The bytes the peer may send in all: the initial window plus every increment granted. */
    long granted() {
        return window.granted();
    }
}
