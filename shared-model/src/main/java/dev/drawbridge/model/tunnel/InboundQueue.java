package dev.drawbridge.model.tunnel;

import java.util.ArrayDeque;

/**
 * The receiving half of one {@link TunnelStream}: the chunks the peer sent that the reader has not taken yet, and the
 * flow control over them ({@link ReceiveWindow}). Guarded by the stream's lock; never blocks (the multiplexer adds on the
 * transport's thread).
 *
 * <p>Every byte queued counts against the stream's window until the reader takes it, so the window bounds what a stream
 * holds; the growth of the window goes back to the tunnel's budget once the data ended and was all taken, or the stream
 * failed ({@link #fail}).
 */
final class InboundQueue {
    /** Queued chunks past which the newest are merged ({@link #coalesceNewest}). */
    static final int MAX_QUEUED_CHUNKS = 1024;

    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
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

    /** Queues a chunk {@link #refusal} accepted. */
    void add(byte[] bytes) {
        window.onReceived(bytes.length);
        chunks.add(bytes);
        if (chunks.size() > MAX_QUEUED_CHUNKS && !chunksAreFragments) {
            coalesceNewest();
        }
        buffered += bytes.length;
        received += bytes.length;
    }

    /**
     * The window counts payload bytes, but each queued chunk costs an array besides: a peer sending tiny DATA frames
     * (1 byte each) would make a window of credit cost some thirty times its size in heap. So past
     * {@value #MAX_QUEUED_CHUNKS} queued chunks the newest half become one array; each byte is copied a few times at
     * most (the merged arrays grow geometrically), and a queue holds few arrays per byte of window. Not for a WebSocket
     * stream, whose chunks are its message fragments (its window does not grow instead).
     */
    private void coalesceNewest() {
        int n = MAX_QUEUED_CHUNKS / 2;
        byte[][] newest = new byte[n][];
        int total = 0;
        for (int i = n - 1; i >= 0; i--) {
            newest[i] = chunks.pollLast();
            total += newest[i].length;
        }
        byte[] merged = new byte[total];
        int at = 0;
        for (byte[] chunk : newest) {
            System.arraycopy(chunk, 0, merged, at, chunk.length);
            at += chunk.length;
        }
        chunks.addLast(merged);
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
        byte[] chunk = chunks.poll();
        if (chunk == null) {
            return null;
        }
        buffered -= chunk.length;
        int credit = window.onConsumed(chunk.length);
        if (ended) {
            releaseIfDrained();
            credit = 0;
        }
        return new Taken(chunk, credit);
    }

    /** A chunk taken and the credit to grant for it. */
    record Taken(byte[] chunk, int grant) {
    }

    /**
     * The whole body if it ended and at most one chunk waits (empty: none), taking it without granting credit (the peer
     * sends nothing more); null otherwise.
     */
    byte[] takeWhole() {
        if (!ended || chunks.size() > 1) {
            return null;
        }
        byte[] body = chunks.isEmpty() ? new byte[0] : chunks.poll();
        buffered -= body.length;
        releaseIfDrained();
        return body;
    }

    /** The stream failed: drops what waits and gives the window's growth back. Idempotent. */
    void fail() {
        chunks.clear();
        buffered = 0;
        window.release();
    }

    /** Once the inbound data ended and was all read, the window's growth goes back to the tunnel. */
    private void releaseIfDrained() {
        if (ended && chunks.isEmpty()) {
            window.release();
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
