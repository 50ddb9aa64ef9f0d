package dev.drawbridge.model.tunnel;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One request/response exchange (or one relayed WebSocket session) inside a tunnel connection.
 * Each direction has its own credit window, {@link Multiplexer#INITIAL_WINDOW} bytes at first: a writer
 * blocks when the peer has not yet consumed what was sent, and the reader grants credit back as
 * it consumes, growing or shrinking the window as it goes ({@link ReceiveWindow}). Reads and writes block, so callers
 * run on virtual threads.
 */
public final class TunnelStream {
    private final Multiplexer mux;
    private final int id;
    private final RequestHead request;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final CompletableFuture<ResponseHead> responseHead = new CompletableFuture<>();
    /** Completes (off the transport's thread) when the stream is reset, for {@link #whenReset}. */
    private final CompletableFuture<StreamResetException> resetSignal = new CompletableFuture<>();

    /** Queued chunks past which the newest are merged. */
    static final int MAX_QUEUED_CHUNKS = InboundQueue.MAX_QUEUED_CHUNKS;
    /** What the peer sent and the reader has not taken, with its flow control; guarded by {@link #lock}. */
    private final InboundQueue inbound;
    /** The peer's trailer fields (a TRAILERS frame ended its half); empty when it ended with END. */
    private List<HeaderField> trailers = List.of();
    private long sendCredit = Multiplexer.INITIAL_WINDOW;
    private boolean outboundEnded;
    private StreamResetException reset;
    private long bytesSent;
    /** When the stream was opened (sent or received), {@link System#nanoTime()}. */
    private final long openedNanos = System.nanoTime();
    /** When the response head was sent (connector) or received (proxy); meaningful once {@link #headStatus} is set. */
    private volatile long headNanos;
    /** The response head's status, 0 until there is one. */
    private volatile int headStatus;

    TunnelStream(Multiplexer mux, int id, RequestHead request) {
        this.mux = mux;
        this.id = id;
        this.request = request;
        // A WebSocket stream's chunks are its message fragments: never merged.
        this.inbound = new InboundQueue(mux, request != null && request.websocket());
    }

    public int id() {
        return id;
    }

    public RequestHead request() {
        return request;
    }

    /** Body bytes this side has sent so far (0 means the peer saw nothing but the head). */
    public long bytesSent() {
        lock.lock();
        try {
            return bytesSent;
        } finally {
            lock.unlock();
        }
    }

    /** Body bytes this side has received so far. */
    public long bytesReceived() {
        lock.lock();
        try {
            return inbound.received();
        } finally {
            lock.unlock();
        }
    }

    /** How long after the stream opened its response head was sent (connector) or received (proxy); empty before. */
    public OptionalLong nanosToHead() {
        return headStatus == 0 ? OptionalLong.empty() : OptionalLong.of(headNanos - openedNanos);
    }

    /** How long ago the stream opened, in nanoseconds. */
    public long nanosSinceOpen() {
        return System.nanoTime() - openedNanos;
    }

    /** The status of the response head sent or received; empty before there is one. */
    public OptionalInt headStatus() {
        int s = headStatus;
        return s == 0 ? OptionalInt.empty() : OptionalInt.of(s);
    }

    /** Why the stream was reset (by either side, or because the connection closed); empty if it was not. */
    public Optional<ResetCode> resetCode() {
        lock.lock();
        try {
            return reset == null ? Optional.empty() : Optional.of(reset.code());
        } finally {
            lock.unlock();
        }
    }

    /** Records the response head's arrival or departure, once. */
    void noteHead(ResponseHead head) {
        if (headStatus == 0) {
            headNanos = System.nanoTime();
            headStatus = head.status();
        }
    }

    // ---- called by the multiplexer on the transport thread: must not block ----

    void onHead(ResponseHead head) {
        noteHead(head);
        responseHead.complete(head);
    }

    void onData(byte[] bytes) {
        lock.lock();
        try {
            if (accepts(bytes.length)) {
                inbound.add(bytes);
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * A DATA payload as a retained slice of the transport's input buffer: queued as it is (no copy), or released at once
     * when the stream takes no more. Ownership passes with the call: {@code release} runs exactly once.
     */
    void onData(ByteBuffer slice, Runnable release) {
        boolean queued = false;
        lock.lock();
        try {
            if (accepts(slice.remaining())) {
                inbound.add(slice, release);
                queued = true;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
            if (!queued) {
                release.run();
            }
        }
    }

    /** Whether {@code length} more bytes may be queued; a peer's protocol error resets the stream. */
    private boolean accepts(int length) {
        if (reset != null) {
            return false;
        }
        String refusal = inbound.refusal(length);
        if (refusal != null) {
            failLocked(new StreamResetException(ResetCode.PROTOCOL_ERROR, refusal));
            mux.remove(id);
            mux.sendLater(new Frame.Reset(id, ResetCode.PROTOCOL_ERROR, "flow control"));
            return false;
        }
        return true;
    }

    void onEnd() {
        lock.lock();
        try {
            inbound.end();
            changed.signalAll();
            removeIfDoneLocked();
        } finally {
            lock.unlock();
        }
    }

    void onTrailers(List<HeaderField> fields) {
        lock.lock();
        try {
            if (!inbound.ended() && reset == null) {
                trailers = fields;
            }
        } finally {
            lock.unlock();
        }
        onEnd();
    }

    void onWindow(int increment) {
        lock.lock();
        try {
            sendCredit += increment;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void onReset(ResetCode code, String message) {
        lock.lock();
        try {
            failLocked(new StreamResetException(code, message));
        } finally {
            lock.unlock();
        }
        mux.remove(id);
    }

    private void failLocked(StreamResetException e) {
        if (reset == null) {
            reset = e;
            responseHead.completeExceptionally(e);
            changed.signalAll();
            if (resetSignal.getNumberOfDependents() > 0) {
                // Its actions may block (abort an upstream request): never under this lock, never on the transport's thread.
                Thread.startVirtualThread(() -> resetSignal.complete(e));
            }
        }
        inbound.fail();
    }

    private void removeIfDoneLocked() {
        if (inbound.ended() && outboundEnded) {
            mux.remove(id);
        }
    }

    // ---- the caller's side ----

    /** Connector side: send the upstream's status and headers. */
    public void sendHead(ResponseHead head) throws IOException {
        checkReset();
        noteHead(head);
        mux.send(new Frame.Head(id, head));
    }

    /**
     * Connector side: the whole response (head, body of at most {@link FrameCodec#MAX_DATA_PAYLOAD}
     * bytes, end) as one frame. The body fits the fresh window, which nothing has used yet.
     */
    public void sendWhole(ResponseHead head, byte[] body) throws IOException {
        if (body.length > FrameCodec.MAX_DATA_PAYLOAD) {
            throw new IllegalArgumentException("body of " + body.length + " bytes is too large for one frame");
        }
        lock.lock();
        try {
            if (reset != null) {
                throw reset;
            }
            if (outboundEnded || bytesSent > 0 || sendCredit < body.length) {
                throw new IllegalStateException("sendWhole must be the only thing sent on stream " + id);
            }
            sendCredit -= body.length;
            bytesSent = body.length;
            noteHead(head);
            outboundEnded = true;
            removeIfDoneLocked();
        } finally {
            lock.unlock();
        }
        mux.send(new Frame.Whole(id, head, body));
    }

    /**
     * A hint for callers on threads that must not block: whether a frame of about {@code bytes} would be sent now rather
     * than wait for the tunnel's send budget (it may change at once; the send itself stays correct either way).
     */
    public boolean canSendWithoutWaiting(int bytes) {
        return mux.canSendWithoutWaiting(bytes);
    }

    /** Proxy side: wait for the connector's response head. */
    public ResponseHead awaitHead(Duration timeout) throws IOException, TimeoutException {
        try {
            return responseHead.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StreamResetException sre) {
                throw sre;
            }
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for response head");
        }
    }

    /**
     * Runs {@code action} once the response head arrives or the stream fails (with a {@link StreamResetException}), or
     * {@code timeout} passes first (with a {@link TimeoutException}). It runs on the thread that completes the head,
     * usually the tunnel's reader, or at once on the caller's if that already happened: it must not block.
     */
    public void whenHead(Duration timeout, BiConsumer<ResponseHead, Throwable> action) {
        Deadlines.add(timeout.toMillis(), responseHead::isDone, () -> responseHead.completeExceptionally(
                new TimeoutException("no response head within " + timeout.toMillis() + " ms")));
        responseHead.whenComplete((head, failure) ->
                action.accept(head, failure instanceof CompletionException c && c.getCause() != null
                        ? c.getCause() : failure));
    }

    /**
     * The whole inbound body if it has already arrived complete (a WHOLE frame, or HEAD + DATA + END all received),
     * taking it from the stream; null if more may come or the stream failed.
     */
    public byte[] takeWholeBody() {
        lock.lock();
        try {
            return reset != null ? null : inbound.takeWhole();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Next chunk of inbound data, blocking until one arrives; null at the end of the stream.
     * Grants credit back to the sender as chunks are consumed.
     */
    public byte[] read() throws IOException {
        StreamChunk c = take(0L);
        return c == null ? null : c.toArrayAndRelease();
    }

    /**
     * As {@link #read()}, but a large DATA payload comes as a retained slice of the transport's input buffer, with no
     * copy: the caller writes {@link StreamChunk#buffer()} on and then calls {@link StreamChunk#release()}, exactly once,
     * whether the write succeeded or failed (until then the transport cannot reuse that buffer). Credit goes back to the
     * sender when the chunk is taken, as with {@link #read()}.
     */
    public StreamChunk readChunk() throws IOException {
        return take(0L);
    }

    /**
     * As {@link #read()}, waiting at most {@code timeout} (zero: no limit) for a chunk; a timeout leaves the
     * stream usable, like a socket's read timeout.
     *
     * @throws SocketTimeoutException when nothing arrived in time
     */
    public byte[] read(Duration timeout) throws IOException {
        StreamChunk c = take(timeout.isZero() ? 0L : Math.max(1L, timeout.toNanos()));
        return c == null ? null : c.toArrayAndRelease();
    }

    private StreamChunk take(long timeoutNanos) throws IOException {
        StreamChunk chunk;
        int grant = 0;
        lock.lock();
        try {
            long left = timeoutNanos;
            while (inbound.isEmpty() && !inbound.ended() && reset == null) {
                if (timeoutNanos == 0L) {
                    changed.await();
                } else if (left <= 0L) {
                    throw new SocketTimeoutException("no data on stream " + id + " within " + Duration.ofNanos(timeoutNanos).toMillis() + " ms");
                } else {
                    left = changed.awaitNanos(left);
                }
            }
            if (reset != null) {
                throw reset;
            }
            InboundQueue.Taken taken = inbound.take();
            if (taken == null) {
                return null;
            }
            chunk = taken.chunk();
            grant = taken.grant();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted reading tunnel stream");
        } finally {
            lock.unlock();
        }
        if (grant > 0) {
            try {
                mux.send(new Frame.Window(id, grant));
                mux.sampleRttIfStale();
            } catch (IOException e) {
                // The stream or tunnel is failing; the next read reports it.
            }
        }
        return chunk;
    }

    /** The receive window this side grants now: the most received data it lets wait unread (grows with auto-tuning). */
    public int receiveWindow() {
        lock.lock();
        try {
            return inbound.window();
        } finally {
            lock.unlock();
        }
    }

    /** The bytes the peer may send on this stream in all: the initial window plus every increment this side granted. */
    long creditGranted() {
        lock.lock();
        try {
            return inbound.granted();
        } finally {
            lock.unlock();
        }
    }

    /** Bytes received but not yet read (bounded by the window). */
    public long bufferedInbound() {
        lock.lock();
        try {
            return inbound.buffered();
        } finally {
            lock.unlock();
        }
    }

    /** Sends bytes, split into frames, blocking while the peer's window is exhausted. */
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n;
            lock.lock();
            try {
                while (sendCredit <= 0 && reset == null) {
                    changed.await();
                }
                if (reset != null) {
                    throw reset;
                }
                if (outboundEnded) {
                    throw new IOException("stream " + id + " output already ended");
                }
                n = (int) Math.min(Math.min(len, sendCredit), FrameCodec.MAX_DATA_PAYLOAD);
                sendCredit -= n;
                bytesSent += n;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted writing tunnel stream");
            } finally {
                lock.unlock();
            }
            mux.sendData(id, b, off, n);
            off += n;
            len -= n;
        }
    }

    /**
     * Sends {@code frame} as exactly one DATA frame (never split at a window boundary), blocking until the
     * peer's window has room for all of it. For message framings layered on DATA frames.
     */
    void writeFrame(byte[] frame) throws IOException {
        if (frame.length > FrameCodec.MAX_DATA_PAYLOAD) {
            throw new IllegalArgumentException("frame of " + frame.length + " bytes exceeds " + FrameCodec.MAX_DATA_PAYLOAD);
        }
        lock.lock();
        try {
            while (sendCredit < frame.length && reset == null) {
                changed.await();
            }
            if (reset != null) {
                throw reset;
            }
            if (outboundEnded) {
                throw new IOException("stream " + id + " output already ended");
            }
            sendCredit -= frame.length;
            bytesSent += frame.length;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted writing tunnel stream");
        } finally {
            lock.unlock();
        }
        mux.send(new Frame.Data(id, frame));
    }

    /** Half-closes this side: no more data will be sent. Idempotent. */
    public void endOutput() throws IOException {
        lock.lock();
        try {
            if (outboundEnded || reset != null) {
                return;
            }
            outboundEnded = true;
            removeIfDoneLocked();
        } finally {
            lock.unlock();
        }
        mux.send(new Frame.End(id));
    }

    /**
     * Half-closes this side with trailer fields: a TRAILERS frame when there are some and the peer announced
     * {@link TunnelFeatures#TRAILERS}, else END (the fields are dropped). Returns whether the fields were sent.
     * Idempotent.
     */
    public boolean endOutput(List<HeaderField> fields) throws IOException {
        if (fields.isEmpty() || !mux.peerReadsTrailers()) {
            endOutput();
            return fields.isEmpty();
        }
        lock.lock();
        try {
            if (outboundEnded || reset != null) {
                return false;
            }
            outboundEnded = true;
            removeIfDoneLocked();
        } finally {
            lock.unlock();
        }
        mux.send(new Frame.Trailers(id, fields));
        return true;
    }

    /** Whether the peer reads trailer fields ({@link #endOutput(List)} sends them). */
    public boolean peerReadsTrailers() {
        return mux.peerReadsTrailers();
    }

    /**
     * The peer's trailer fields, once its half of the stream ended ({@link #read()} returned null); empty when it sent
     * none (or it has not ended yet).
     */
    public List<HeaderField> trailers() {
        lock.lock();
        try {
            return trailers;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Marks this side's output ended without sending END: for a request without a body, whose OPEN
     * already tells the peer so.
     */
    public void endOutputWithoutFrame() {
        lock.lock();
        try {
            outboundEnded = true;
            removeIfDoneLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Aborts the stream both ways and tells the peer why. Idempotent. */
    public void reset(ResetCode code, String message) {
        lock.lock();
        try {
            if (reset != null) {
                return;
            }
            failLocked(new StreamResetException(code, message));
        } finally {
            lock.unlock();
        }
        mux.remove(id);
        mux.sendLater(new Frame.Reset(id, code, message));
    }

    /**
     * Runs {@code action} once if the stream is reset (by either side, or because the tunnel closed), on a thread of its
     * own; at once if it already was. For whoever must stop work the stream no longer waits for (an upstream request
     * whose answer nobody will read).
     */
    public void whenReset(Consumer<StreamResetException> action) {
        StreamResetException already;
        lock.lock();
        try {
            already = reset;
            if (already == null) {
                resetSignal.thenAccept(action);
            }
        } finally {
            lock.unlock();
        }
        if (already != null) {
            action.accept(already);
        }
    }

    public boolean isReset() {
        lock.lock();
        try {
            return reset != null;
        } finally {
            lock.unlock();
        }
    }

    private void checkReset() throws StreamResetException {
        lock.lock();
        try {
            if (reset != null) {
                throw reset;
            }
        } finally {
            lock.unlock();
        }
    }

    /** The inbound data as an InputStream (blocking; -1 at end; reset surfaces as StreamResetException). */
    public InputStream inputStream() {
        return new InputStream() {
            private byte[] current;
            private int pos;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (current == null || pos == current.length) {
                    current = TunnelStream.this.read();
                    pos = 0;
                    if (current == null) {
                        return -1;
                    }
                }
                int n = Math.min(len, current.length - pos);
                System.arraycopy(current, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    /** The outbound data as an OutputStream; close() half-closes the stream. */
    public OutputStream outputStream() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                TunnelStream.this.write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                TunnelStream.this.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                endOutput();
            }
        };
    }

    @Override
    public String toString() {
        return "stream " + id + " " + request.method() + " " + request.appId();
    }
}
