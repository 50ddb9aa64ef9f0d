package dev.drawbridge.tunnel.transport;

import dev.drawbridge.model.tunnel.LengthPrefixedFrames;
import dev.drawbridge.model.tunnel.MalformedFrameException;
import dev.drawbridge.model.tunnel.TunnelLink;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.BufferUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One end of a {@code drawbridge-tunnel/2} link: the Jetty connection that takes over a TLS endpoint after the HTTP/1.1
 * upgrade ({@link TunnelUpgrade} on the server, {@link TunnelUpgradeClient} on the connector) and carries length-prefixed
 * frames ({@link LengthPrefixedFrames}) both ways.
 *
 * <p><b>Reads run on the selector thread</b> ({@link AbstractConnection.NonBlocking}): {@link #onFillable} fills a pooled
 * buffer until the endpoint has nothing more, decodes every complete frame and hands it to the receiver, which must not
 * block (every connection of that selector would stall: a frame whose dispatch takes longer than 10 ms is logged, at most
 * once a minute per connection). The buffer goes back to the pool whenever the endpoint is drained, so an idle link holds none.
 *
 * <p><b>Writes</b> go through a {@link FrameFlusher}: each frame is copied once into a pooled buffer with its length prefix
 * (DATA straight from the caller's array, {@link #writeData}) and written in gathering batches, WINDOW/PING/PONG first.
 *
 * <p><b>Life:</b> {@link TunnelLink.Receiver#opened} once when the connection opens (the bytes that came with the 101,
 * {@link #onUpgradeTo}, are decoded right after), {@link TunnelLink.Receiver#closed} exactly once whatever closes it:
 * {@link #close}, the peer's close or end of stream, a malformed frame, a failed read or write, or the idle timeout (a
 * backstop to the multiplexer's heartbeat: heartbeat × 6).
 */
public final class FrameConnection extends AbstractConnection.NonBlocking implements Connection.UpgradeTo, TunnelLink {
    /** The {@code Upgrade} token, and this link's {@link #protocol()}. */
    public static final String PROTOCOL = "drawbridge-tunnel/2";
    /**
     * Input buffer when the pool keeps buffers this large: a whole 64 KiB DATA frame and more than one TLS record (16.7
     * KiB) of room. Jetty's default pool keeps at most 64 KiB ({@link #SMALL_INPUT_BUFFER} then); a tunnel's pool should
     * keep 128 KiB, which the DATA frames written need too (65,549 bytes with the prefix).
     */
    static final int INPUT_BUFFER = 96 * 1024;
    static final int SMALL_INPUT_BUFFER = 64 * 1024;
    /**
     * Free space the input buffer keeps for a fill: more than one TLS record's plaintext, so that the TLS layer decrypts
     * straight into it rather than into a buffer of its own and copies.
     */
    static final int FILL_ROOM = 17 * 1024;
    static final long SLOW_FILL_NANOS = 10_000_000L;
    /**
     * What one {@link #onFillable} reads before it yields the selector thread (re-arming its read interest, so the other
     * connections of that selector get their turn): a peer that keeps the socket full must not hold the thread forever.
     */
    static final int MAX_BYTES_PER_TURN = 256 * 1024;
    static final long MAX_NANOS_PER_TURN = 2_000_000L;
    /**
     * Frames smaller than this are written from an exact-size heap buffer, not a pooled one: the pool hands out at least
     * 4 KiB, so a queue of small frames (ENDs, RESETs, WINDOWs) would pin hundreds of times their size.
     */
    static final int POOLED_FRAME_MIN = 4096;
    private static final long SLOW_WARNING_INTERVAL_NANOS = 60_000_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(FrameConnection.class);

    private final ByteBufferPool pool;
    private final TunnelLink.Receiver receiver;
    private final Duration idleTimeout;
    private final FrameFlusher flusher;
    private final LengthPrefixedFrames decoder = new LengthPrefixedFrames();
    private final LengthPrefixedFrames.Sink timedReceiver = this::timedFrame;
    private final TunnelLink.Retainer retainer = this::retainInput;
    private final int inputSize;
    private final PinnedInput pinned;
    /** The pin of {@link #decoding} once a slice of it was kept during this decode (null: none yet, or none allowed). */
    private PinnedInput.Pin pin;
    private final AtomicBoolean opened = new AtomicBoolean();
    private final AtomicBoolean closedReported = new AtomicBoolean();
    private final AtomicLong lastSlowWarning = new AtomicLong(System.nanoTime() - SLOW_WARNING_INTERVAL_NANOS);
    /**
     * The pooled input buffer (flush mode: the bytes read and not yet decoded, at most one incomplete frame), or null
     * when none is held. Frames are delivered as views of it; a receiver may retain it ({@link #retainInput}), and then
     * it is never written again: the next fill gets a fresh buffer, the incomplete frame copied over.
     */
    private RetainableByteBuffer input;
    /** Whether a receiver retained {@link #input} (a slice of it lives, or did). */
    private boolean inputRetained;
    /** The input buffer being decoded (null: the bytes that came with the upgrade, which are not pooled). */
    private RetainableByteBuffer decoding;
    /** Bytes read with the upgrade response or request, decoded once open. */
    private ByteBuffer upgradeBytes;
    private final AtomicReference<String> closeReasonOnce = new AtomicReference<>();
    /** Why this side closed the link (the first reason given); null until then. */
    private volatile String closeReason;

    /**
     * @param idleTimeout closes the link when nothing was read or written for that long (a backstop: heartbeat × 6)
     * @param pinned      the cap on input buffers kept by retained slices this link counts against (its side's own, or
     *                    its connector's share of the server's: {@link PinnedInput})
     */
    public FrameConnection(EndPoint endPoint, Executor executor, ByteBufferPool pool, TunnelLink.Receiver receiver, Duration idleTimeout,
                           PinnedInput pinned) {
        super(endPoint, executor);
        this.pinned = Objects.requireNonNull(pinned, "pinned");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.receiver = Objects.requireNonNull(receiver, "receiver");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idle timeout must be positive: " + idleTimeout);
        }
        this.idleTimeout = idleTimeout;
        this.inputSize = pool instanceof ArrayByteBufferPool a && a.getMaxCapacity() < INPUT_BUFFER ? SMALL_INPUT_BUFFER : INPUT_BUFFER;
        this.flusher = new FrameFlusher(endPoint, failure -> closeFor("write failed: " + failure, failure));
    }

    @Override
    public void onUpgradeTo(ByteBuffer buffer) {
        // The old connection's buffer goes back to its pool after this returns: keep a copy.
        if (BufferUtil.hasContent(buffer)) {
            upgradeBytes = BufferUtil.copy(buffer);
        }
    }

    @Override
    public void onOpen() {
        super.onOpen();
        getEndPoint().setIdleTimeout(idleTimeout.toMillis());
        opened.set(true);
        try {
            receiver.opened(this);
        } catch (RuntimeException e) {
            closeFor("the receiver failed to open: " + e, e);
            return;
        }
        ByteBuffer early = upgradeBytes;
        upgradeBytes = null;
        if (early != null && !decode(early, null)) {
            return;
        }
        if (isOpen()) {
            fillInterested();
        }
    }

    @Override
    public void onFillable() {
        long start = System.nanoTime();
        long bytes = 0;
        try {
            while (true) {
                ByteBuffer buf = inputWithRoom();
                int filled = getEndPoint().fill(buf);
                if (filled > 0) {
                    if (!decode(buf, input)) {
                        return;
                    }
                    bytes += filled;
                    if (bytes >= MAX_BYTES_PER_TURN || System.nanoTime() - start >= MAX_NANOS_PER_TURN) {
                        // Yield: the peer may keep the socket full for ever, and this is the selector's thread.
                        releaseInputIfEmpty();
                        if (isOpen()) {
                            fillInterested();
                        }
                        return;
                    }
                } else if (filled == 0) {
                    releaseInputIfEmpty();
                    fillInterested();
                    return;
                } else {
                    releaseInput();
                    closeFor("the peer closed the connection", null);
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            releaseInput();
            closeFor("read failed: " + e, e);
        }
    }

    /**
     * The input buffer, with at least {@link #FILL_ROOM} free after its bytes where it can: a fresh one when none is held
     * or a receiver retained the one held (its incomplete frame, if any, copied over), else the one held, compacted.
     */
    private ByteBuffer inputWithRoom() {
        if (input == null) {
            input = pool.acquire(inputSize, false);
            inputRetained = false;
            BufferUtil.clear(input.getByteBuffer());
            return input.getByteBuffer();
        }
        ByteBuffer buf = input.getByteBuffer();
        if (inputRetained) {
            // Slices of it live: never write into it again.
            RetainableByteBuffer fresh = pool.acquire(inputSize, false);
            ByteBuffer b = fresh.getByteBuffer();
            BufferUtil.clear(b);
            BufferUtil.append(b, buf);
            input.release();
            input = fresh;
            inputRetained = false;
            return b;
        }
        if (!buf.hasRemaining()) {
            BufferUtil.clear(buf);
        } else if (buf.capacity() - buf.limit() < FILL_ROOM) {
            BufferUtil.compact(buf);
        }
        return buf;
    }

    /** Drops the input buffer when it holds no incomplete frame, so an idle link holds none. */
    private void releaseInputIfEmpty() {
        if (input != null && !input.getByteBuffer().hasRemaining()) {
            releaseInput();
        }
    }

    /**
     * Retains the input buffer being decoded for a receiver: the returned release runs once (later runs do nothing); null
     * when the buffer would take the pinned input past its cap ({@link PinnedInput}: the receiver copies).
     */
    private Runnable retainInput() {
        RetainableByteBuffer b = decoding;
        if (b == null) {
            throw new IllegalStateException("no input buffer to retain");
        }
        if (pin == null) {
            pin = pinned.tryPin(b.capacity());
            if (pin == null) {
                return null;
            }
        }
        PinnedInput.Pin p = pin;
        b.retain();
        p.add();
        if (b == input) {
            inputRetained = true;
        }
        AtomicBoolean once = new AtomicBoolean();
        return () -> {
            if (once.compareAndSet(false, true)) {
                b.release();
                p.drop();
            }
        };
    }

    /** Hands one frame to the receiver, timing it: a frame is quick to dispatch unless something under it blocks. */
    private void timedFrame(ByteBuffer frame) throws MalformedFrameException {
        if (closeReason != null) {
            // Closed (by the receiver itself, or another thread) while a buffer was being decoded: closed() was or is
            // being reported, and nothing follows it.
            return;
        }
        long start = System.nanoTime();
        int type = frame.get(frame.position());
        receiver.frame(frame, decoding != null && decoding.canRetain() && decoder.deliveringView() ? retainer : null);
        warnIfSlow(System.nanoTime() - start, type);
    }

    /**
     * Decodes the complete frames of {@code buf} (from {@code pooled}, or null for bytes of no pool), leaving an incomplete
     * one that fits the input buffer in it; false (and the link closed) on a malformed frame.
     */
    private boolean decode(ByteBuffer buf, RetainableByteBuffer pooled) {
        decoding = pooled;
        try {
            decoder.feed(buf, timedReceiver, pooled == null ? 0 : buf.capacity());
            return true;
        } catch (MalformedFrameException e) {
            releaseInput();
            close(CloseReason.PROTOCOL, "malformed frame: " + e.getMessage());
            return false;
        } catch (RuntimeException e) {
            // A receiver's bug; from onOpen (the bytes that came with the upgrade) it would otherwise escape into Jetty.
            releaseInput();
            closeFor("the receiver failed: " + e, e);
            return false;
        } finally {
            decoding = null;
            if (pin != null) {
                // This decode's own hold: the buffer stays counted while slices of it live.
                pin.drop();
                pin = null;
            }
        }
    }

    private void releaseInput() {
        if (input != null) {
            input.release();
            input = null;
        }
    }

    @Override
    public void onFillInterestedFailed(Throwable cause) {
        // Closed from another thread while waiting to read: onFillable will not run again to drop an incomplete frame.
        releaseInput();
        super.onFillInterestedFailed(cause);
    }

    private void warnIfSlow(long nanos, int type) {
        if (nanos > SLOW_FILL_NANOS) {
            long now = System.nanoTime();
            long last = lastSlowWarning.get();
            if (now - last >= SLOW_WARNING_INTERVAL_NANOS && lastSlowWarning.compareAndSet(last, now)) {
                LOG.warn("tunnel link {}: handling one frame (type {}) took {} ms on the selector thread; something under "
                        + "Multiplexer.receive blocks, or the JVM paused (every connection of this selector waited)",
                        getEndPoint().getRemoteSocketAddress(), type, nanos / 1_000_000);
            }
        }
    }

    @Override
    public boolean onIdleExpired(TimeoutException timeout) {
        closeFor("idle for " + idleTimeout.toMillis() + " ms", timeout);
        return true;
    }

    @Override
    public void onClose(Throwable cause) {
        super.onClose(cause);
        closeReasonOnce.compareAndSet(null, cause == null ? "connection closed" : "connection closed: " + cause);
        String reason = closeReasonOnce.get();
        closeReason = reason;
        flusher.close(cause == null ? new IOException("tunnel closed: " + reason) : cause);
        if (opened.get() && closedReported.compareAndSet(false, true)) {
            receiver.closed(reason);
        }
    }

    // ---- TunnelLink ----

    @Override
    public String protocol() {
        return PROTOCOL;
    }

    @Override
    public boolean isOpen() {
        return closeReason == null && getEndPoint().isOpen();
    }

    @Override
    public void close(CloseReason reason, String text) {
        closeFor(reason + (text == null || text.isEmpty() ? "" : ": " + text), null);
    }

    private void closeFor(String reason, Throwable cause) {
        closeReasonOnce.compareAndSet(null, reason);
        closeReason = closeReasonOnce.get();
        flusher.close(new IOException("tunnel closed: " + closeReason));
        getEndPoint().close(cause);
    }

    @Override
    public void write(ByteBuffer frame, Runnable written, Consumer<Throwable> failed) throws IOException {
        checkOpen();
        RetainableByteBuffer buf = acquire(LengthPrefixedFrames.encodedSize(frame));
        ByteBuffer b = buf.getByteBuffer();
        int at = BufferUtil.flipToFill(b);
        try {
            LengthPrefixedFrames.putFrame(b, frame);
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
        BufferUtil.flipToFlush(b, at);
        flusher.offer(new FrameFlusher.Entry(buf, LengthPrefixedFrames.kindOf(frame), written, failed));
    }

    @Override
    public void writeData(int streamId, byte[] bytes, int off, int len, Runnable written, Consumer<Throwable> failed) throws IOException {
        checkOpen();
        RetainableByteBuffer buf = acquire(LengthPrefixedFrames.encodedDataSize(len));
        ByteBuffer b = buf.getByteBuffer();
        int at = BufferUtil.flipToFill(b);
        try {
            LengthPrefixedFrames.putData(b, streamId, bytes, off, len);
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
        BufferUtil.flipToFlush(b, at);
        flusher.offer(new FrameFlusher.Entry(buf, LengthPrefixedFrames.Kind.ORDERED, written, failed));
    }

    /** A buffer for one outgoing frame of {@code size} bytes: pooled when large, exactly its size when small. */
    private RetainableByteBuffer acquire(int size) {
        if (size < POOLED_FRAME_MIN) {
            return RetainableByteBuffer.wrap(BufferUtil.allocate(size));
        }
        return pool.acquire(size, false);
    }

    private void checkOpen() throws IOException {
        String reason = closeReason;
        if (reason != null) {
            throw new IOException("tunnel closed: " + reason);
        }
    }

    /** Frames queued and not yet handed to the endpoint (for tests). */
    int queuedFrames() {
        return flusher.queued();
    }

    /** Buffer capacity the queued frames hold (for tests). */
    long queuedCapacity() {
        return flusher.queuedCapacity();
    }
}
