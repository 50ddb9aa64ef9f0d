package dev.drawbridge.model.tunnel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Many concurrent {@link TunnelStream}s over one tunnel connection. The transport (a WebSocket on
 * either side) hands every received frame to {@link #receive(Frame)} and provides a
 * {@link FrameSender}. Receiving never blocks: data is queued per stream, bounded by that stream's
 * flow-control window, so a slow consumer of one stream never stalls the others.
 *
 * <p>The proxy opens streams (odd ids); the connector accepts them through a {@link StreamListener}.
 *
 * <p>Stream ids are never reused, so a connection has a lifetime: once the ids this side opened pass half of
 * {@link #LAST_STREAM_ID} (2^30) the multiplexer is <em>retiring</em> and tells its owner ({@link Lifecycle#retiring()}),
 * which sends GOAWAY, prefers other tunnels and closes this one once idle ({@link #closeIfIdle}); the other half of the
 * id space is the margin that keeps requests working until the replacement connection is up.
 */
public final class Multiplexer {
    /**
     * Bytes a sender may have in flight per stream and direction before the receiver grants more: every stream starts
     * with it, on both peers, unannounced; a receiver may grant more later ({@link FlowControl}).
     */
    public static final int INITIAL_WINDOW = 512 * 1024;
    /**
     * How many of the latest pings' payloads a pong may answer. Pings go out every heartbeat and, while windows may grow
     * and no fresh round-trip sample came, once a second; on a slow link a pong waits behind the data queued before it
     * (4 MiB of budget is half a minute at 1 Mbit/s), so it may answer a ping sent that long ago and must still count.
     */
    static final int RECENT_PINGS = 256;
    /**
     * Answers the receive path hands to the background at once, per kind (PONGs; refusals of unexpected OPENs): a peer
     * sending more PINGs or OPENs than that while the earlier answers wait gets no answer to the rest.
     */
    static final int MAX_PENDING_ANSWERS = 64;
    /**
     * The smallest DATA payload a link that can retain its input buffer hands on as a slice of it rather than a copy
     * ({@link #receive(ByteBuffer, TunnelLink.Retainer)}): bulk frames are 64 KiB; a slice pins its whole input buffer
     * (96 KiB), so the threshold bounds what parked slices pin to three times the bytes the windows count.
     */
    public static final int RETAIN_MIN = 32 * 1024;
    /** The largest stream id of the protocol (a u32 on the wire, kept positive). */
    public static final int LAST_STREAM_ID = Integer.MAX_VALUE;

    /** Sends one frame; blocks until the transport accepted it; thread-safe. */
    @FunctionalInterface
    public interface FrameSender {
        void send(Frame frame) throws IOException;

        /**
         * Sends a DATA frame carrying {@code len} bytes of {@code b} from {@code off}; the array may be reused once this
         * returns. Senders that encode override it to copy the bytes once, straight into the encoded frame.
         */
        default void sendData(int streamId, byte[] b, int off, int len) throws IOException {
            send(new Frame.Data(streamId, Arrays.copyOfRange(b, off, off + len)));
        }

        /** A hint: whether sending a frame of {@code bytes} would return without waiting right now. */
        default boolean canSendWithoutWaiting(int bytes) {
            return true;
        }
    }

    /**
     * What the multiplexer tells its owner about the connection's life. Runs on the thread that caused it (the
     * transport's, or one opening a stream): hand work off, do not block.
     */
    public interface Lifecycle {
        /** Tells nothing. */
        Lifecycle NONE = new Lifecycle() {
        };

        /** The peer sent GOAWAY: it opens, or wants, no new streams here; streams in flight go on. */
        default void peerGoingAway(String reason) {
        }

        /** This side's stream ids passed half the id space: replace the connection while it drains. */
        default void retiring() {
        }

        /** The peer sent CONFIG (proxy → connector only; a proxy ignores it). */
        default void config(Frame.Config config) {
        }

        /**
         * A stream is done, once: both directions ended, it was reset (by either side), or the connection closed. What
         * happened to it ({@link TunnelStream#nanosToHead()}, {@link TunnelStream#headStatus()},
         * {@link TunnelStream#resetCode()}, bytes) is final by then: for metrics and the access log. Runs on the thread
         * that ended it, possibly holding the stream's lock: record and return.
         */
        default void streamClosed(TunnelStream stream) {
        }
    }

    /** Called (on the transport's thread: hand work off, do not block) when the peer opens a stream. */
    @FunctionalInterface
    public interface StreamListener {
        void onOpen(TunnelStream stream);
    }

    private final FrameSender sender;
    private final StreamListener listener;
    private final ConcurrentHashMap<Integer, TunnelStream> streams = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final int lastStreamId;
    /** The first id at which this side is retiring: half the id space. */
    private final long retireAt;
    private final AtomicBoolean retiring = new AtomicBoolean();
    /** Opening a stream (shared) excludes {@link #closeIfIdle} (exclusive): no stream is opened on a tunnel closed as idle. */
    private final ReentrantReadWriteLock opening = new ReentrantReadWriteLock();
    private final Lifecycle lifecycle;
    private final AtomicLong lastPongNanos = new AtomicLong(System.nanoTime());
    /**
     * The payloads of the last {@value #RECENT_PINGS} pings sent: only a pong echoing one of them proves the peer reads. A
     * peer that never reads could otherwise keep its tunnel "alive" with pongs it made up, while this side's frames and
     * the streams waiting to send them pile up.
     */
    private final AtomicLongArray recentPings = new AtomicLongArray(RECENT_PINGS);
    private final AtomicInteger pingsSent = new AtomicInteger();
    private final AtomicInteger pendingRefusals = new AtomicInteger();
    private final AtomicInteger pendingPongs = new AtomicInteger();
    private final Consumer<Runnable> background;
    private volatile String closedReason;
    private volatile boolean goAway;
    private final FlowControl flowControl;
    private final RttEstimator rtt = new RttEstimator();
    /** Bytes by which this tunnel's receive windows exceed the initial window in all: at most the budget. */
    private final AtomicLong windowGrowth = new AtomicLong();
    private final AtomicInteger largestWindow = new AtomicInteger(INITIAL_WINDOW);
    /** Whether the peer announced {@link TunnelFeatures#TRAILERS}. */
    private volatile boolean peerReadsTrailers;

    /**
     * @param sender     writes frames to the transport
     * @param listener   accepts streams the peer opens, or null if this side only opens streams
     * @param background runs short sends that must not happen on the transport's thread
     */
    public Multiplexer(FrameSender sender, StreamListener listener, Consumer<Runnable> background) {
        this(sender, listener, background, LAST_STREAM_ID, Lifecycle.NONE);
    }

    /**
     * @param lastStreamId the largest id this side may open a stream with ({@link #LAST_STREAM_ID}; tests use less);
     *                     it is retiring from half of it on
     * @param lifecycle    told when the peer goes away and when this side starts retiring
     */
    public Multiplexer(FrameSender sender, StreamListener listener, Consumer<Runnable> background, int lastStreamId,
                       Lifecycle lifecycle) {
        this(sender, listener, background, lastStreamId, lifecycle, FlowControl.DEFAULT);
    }

    /** @param flowControl how far this side lets its streams' receive windows grow */
    public Multiplexer(FrameSender sender, StreamListener listener, Consumer<Runnable> background, int lastStreamId,
                       Lifecycle lifecycle, FlowControl flowControl) {
        if (lastStreamId < 1) {
            throw new IllegalArgumentException("lastStreamId must be positive: " + lastStreamId);
        }
        this.sender = sender;
        this.listener = listener;
        this.background = background;
        this.lastStreamId = lastStreamId;
        this.retireAt = lastStreamId / 2L + 1;
        this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
        this.flowControl = Objects.requireNonNull(flowControl, "flowControl");
    }

    /**
     * Opens a stream carrying {@code head}; fails if the tunnel is closed, draining, or out of stream ids. Opening the
     * first stream past half the id space makes this side {@linkplain #isRetiring() retiring}.
     */
    public TunnelStream open(RequestHead head) throws IOException {
        return open(head, null);
    }

    /**
     * Opens a stream carrying {@code head} and, when {@code identity} is given, the identity it returns for the stream id
     * chosen (a token bound to that stream: see {@link RequestHead#identity}; null: none). The stream keeps {@code head}
     * as given.
     */
    public TunnelStream open(RequestHead head, IntFunction<String> identity) throws IOException {
        TunnelStream s;
        boolean nowRetiring;
        opening.readLock().lock();
        try {
            if (closedReason != null) {
                throw new IOException("tunnel closed: " + closedReason);
            }
            if (goAway) {
                throw new IOException("tunnel draining");
            }
            long next = nextId.getAndAdd(2);
            if (next > lastStreamId) {
                throw new IOException("stream ids exhausted; reconnect");
            }
            s = new TunnelStream(this, (int) next, head);
            streams.put(s.id(), s);
            nowRetiring = next >= retireAt && retiring.compareAndSet(false, true);
        } finally {
            opening.readLock().unlock();
        }
        if (nowRetiring) {
            lifecycle.retiring();
        }
        try {
            String signed = identity == null ? null : identity.apply(s.id());
            sender.send(new Frame.Open(s.id(), signed == null ? head : head.withIdentity(signed)));
        } catch (IOException | RuntimeException e) {
            streams.remove(s.id());
            throw e;
        }
        return s;
    }

    /** True once this side opened a stream past half its id space: the connection should be replaced. */
    public boolean isRetiring() {
        return retiring.get();
    }

    /**
     * Closes the connection if no stream is in flight, atomically with {@link #open}: a stream is either opened before
     * (and the connection stays) or refused after. Returns whether it closed.
     */
    public boolean closeIfIdle(String reason) {
        opening.writeLock().lock();
        try {
            if (closedReason != null || !streams.isEmpty()) {
                return false;
            }
            close(reason);
            return true;
        } finally {
            opening.writeLock().unlock();
        }
    }

    /** Dispatches one frame received from the peer. Never blocks. */
    public void receive(Frame frame) {
        switch (frame) {
            case Frame.Open o -> {
                TunnelStream s = new TunnelStream(this, o.streamId(), o.head());
                if (listener == null || closedReason != null || streams.putIfAbsent(o.streamId(), s) != null) {
                    answer(pendingRefusals, new Frame.Reset(o.streamId(), ResetCode.PROTOCOL_ERROR, "unexpected OPEN"));
                } else {
                    if (!o.head().body() && !o.head().websocket()) {
                        // No body follows: the OPEN itself ends the request direction (no END frame is sent).
                        s.onEnd();
                    }
                    listener.onOpen(s);
                }
            }
            case Frame.Head h -> with(h.streamId(), s -> s.onHead(h.head()));
            case Frame.Whole w -> with(w.streamId(), s -> {
                // The head is noted first: the end below may complete the stream, whose summary includes the head.
                s.noteHead(w.head());
                // Body and end first: whoever the head wakes finds the whole response there (TunnelStream.takeWholeBody).
                if (w.body().length > 0) {
                    s.onData(w.body());
                }
                s.onEnd();
                s.onHead(w.head());
            });
            case Frame.Data d -> with(d.streamId(), s -> s.onData(d.bytes()));
            case Frame.End e -> with(e.streamId(), TunnelStream::onEnd);
            case Frame.Trailers t -> with(t.streamId(), s -> s.onTrailers(t.headers()));
            case Frame.Window w -> with(w.streamId(), s -> s.onWindow(w.increment()));
            case Frame.Reset r -> with(r.streamId(), s -> s.onReset(r.code(), r.message()));
            case Frame.Ping p -> answer(pendingPongs, new Frame.Pong(p.payload()));
            case Frame.Pong p -> {
                long now = System.nanoTime();
                if (answersRecentPing(p.payload())) {
                    lastPongNanos.set(now);
                }
                rtt.onPong(p.payload(), now);
            }
            case Frame.GoAway g -> {
                goAway = true;
                lifecycle.peerGoingAway(g.reason());
            }
            case Frame.Config c -> lifecycle.config(c);
        }
    }

    /**
     * Dispatches one encoded frame ({@link FrameCodec}'s encoding, position to limit). A DATA payload of at least
     * {@value #RETAIN_MIN} bytes, when {@code retainer} is given, reaches its stream as a retained slice of {@code frame}
     * (no copy; released exactly once, by the stream's reader or its failure, or at once when no stream takes it), unless
     * the retainer declines (then copied); anything else is decoded as {@link #receive(Frame)} does. Never blocks.
     *
     * @param retainer keeps {@code frame}'s buffer from reuse past this call (null: the buffer is valid only during it)
     * @throws MalformedFrameException when the frame does not decode
     */
    public void receive(ByteBuffer frame, TunnelLink.Retainer retainer) throws MalformedFrameException {
        int start = frame.position();
        if (retainer != null && frame.remaining() >= FrameCodec.DATA_HEADER + RETAIN_MIN && frame.remaining() <= FrameCodec.MAX_FRAME_SIZE
                && frame.get(start) == FrameCodec.DATA) {
            int streamId = frame.getInt(start + 1);
            if (streamId <= 0) {
                // As FrameCodec.decode judges it: the tunnel closes.
                throw new MalformedFrameException("stream id must be positive: " + streamId);
            }
            TunnelStream s = streams.get(streamId);
            if (s == null) {
                // Frames for a stream already gone are dropped, as below: nothing is retained for them.
                frame.position(frame.limit());
                return;
            }
            Runnable release = retainer.retain();
            if (release != null) {
                ByteBuffer payload = frame.slice(start + FrameCodec.DATA_HEADER, frame.remaining() - FrameCodec.DATA_HEADER);
                frame.position(frame.limit());
                s.onData(payload, release);
                return;
            }
            // The link keeps no more buffers now (its cap on pinned memory): copied, as below.
        }
        receive(FrameCodec.decode(frame));
    }

    private void with(int id, Consumer<TunnelStream> action) {
        TunnelStream s = streams.get(id);
        if (s != null) {
            action.accept(s);
        }
        // Frames for a stream already gone (reset raced with in-flight data) are dropped.
    }

    /**
     * Sends the receive path's answer to a peer's frame (a PONG, the refusal of an OPEN this side does not take: a
     * connector never opens streams, or the id is in use) from the background, unless {@value #MAX_PENDING_ANSWERS} of
     * that kind already wait. Each answer costs a thread and a queued frame, and a peer flooding PINGs or OPENs, reading
     * nothing, would otherwise pile up both without end (refusals wait for a send budget it never frees) and keep the
     * background threads busy answering.
     */
    private void answer(AtomicInteger pending, Frame frame) {
        if (pending.incrementAndGet() > MAX_PENDING_ANSWERS) {
            pending.decrementAndGet();
            return;
        }
        background.accept(() -> {
            try {
                sender.send(frame);
            } catch (IOException ignored) {
                // The tunnel is closing; its streams are failed by close().
            } finally {
                pending.decrementAndGet();
            }
        });
    }

    void sendLater(Frame frame) {
        background.accept(() -> {
            try {
                sender.send(frame);
            } catch (IOException ignored) {
                // The tunnel is closing; its streams are failed by close().
            }
        });
    }

    void send(Frame frame) throws IOException {
        if (closedReason != null) {
            throw new StreamResetException(ResetCode.TUNNEL_CLOSED, closedReason);
        }
        sender.send(frame);
    }

    void sendData(int streamId, byte[] b, int off, int len) throws IOException {
        if (closedReason != null) {
            throw new StreamResetException(ResetCode.TUNNEL_CLOSED, closedReason);
        }
        sender.sendData(streamId, b, off, len);
    }

    boolean canSendWithoutWaiting(int bytes) {
        return sender.canSendWithoutWaiting(bytes);
    }

    void remove(int id) {
        TunnelStream s = streams.remove(id);
        if (s != null) {
            try {
                lifecycle.streamClosed(s);
            } catch (RuntimeException e) {
                // An observer's failure must not break the tunnel.
            }
        }
    }

    /** Sends a heartbeat ping; the peer's pong updates {@link #nanosSinceLastPong()} and the round-trip time. */
    public void ping() throws IOException {
        send(new Frame.Ping(remember(rtt.pingPayload(System.nanoTime()))));
    }

    private long remember(long payload) {
        recentPings.set(Math.floorMod(pingsSent.getAndIncrement(), RECENT_PINGS), payload);
        return payload;
    }

    private boolean answersRecentPing(long payload) {
        if (payload == 0) {
            return false;
        }
        for (int i = 0; i < RECENT_PINGS; i++) {
            if (recentPings.get(i) == payload) {
                return true;
            }
        }
        return false;
    }

    /** Pings to measure the round trip when windows may grow and the last sample is missing or stale. */
    void sampleRttIfStale() throws IOException {
        long now = System.nanoTime();
        if (flowControl.autoTunes() && rtt.claimSample(now)) {
            send(new Frame.Ping(remember(rtt.pingPayload(now))));
        }
    }

    FlowControl flowControl() {
        return flowControl;
    }

    /** The tunnel's round trip that windows are sized by (the smallest measured), in nanoseconds; 0 before a sample. */
    public long rttNanos() {
        return rtt.minNanos();
    }

    /** The smoothed round trip (it includes data queued ahead of the pongs), in nanoseconds; 0 before a sample. */
    public long smoothedRttNanos() {
        return rtt.smoothedNanos();
    }

    /**
     * Reserves up to {@code want} bytes of window growth from the tunnel's budget and the process's
     * ({@link FlowControl#processBudget()}); returns how many it got from both.
     */
    long reserveGrowth(long want) {
        long got;
        while (true) {
            long used = windowGrowth.get();
            got = Math.min(want, flowControl.tunnelBudget() - used);
            if (got <= 0) {
                return 0;
            }
            if (windowGrowth.compareAndSet(used, used + got)) {
                break;
            }
        }
        long fromProcess = flowControl.processBudget().reserve(got);
        if (fromProcess < got) {
            windowGrowth.addAndGet(fromProcess - got);
        }
        return fromProcess;
    }

    void releaseGrowth(long bytes) {
        if (bytes > 0) {
            windowGrowth.addAndGet(-bytes);
            flowControl.processBudget().release(bytes);
        }
    }

    void noteWindow(int window) {
        largestWindow.accumulateAndGet(window, Math::max);
    }

    /** Bytes by which this side's receive windows now exceed the initial window, all streams together (≤ the budget). */
    public long windowGrowth() {
        return windowGrowth.get();
    }

    /** The largest receive window any stream of this tunnel has granted so far. */
    public int largestReceiveWindow() {
        return largestWindow.get();
    }

    public long nanosSinceLastPong() {
        return System.nanoTime() - lastPongNanos.get();
    }

    /**
     * Makes this side {@linkplain #isRetiring() retiring} now, for a reason of its owner's (e.g. the connector renewed the
     * certificate this tunnel authenticated with), as running past half the id space does; true when it was not before.
     * The owner tells the peer ({@link #goAway}).
     */
    public boolean retire() {
        return retiring.compareAndSet(false, true);
    }

    /**
     * Tells the peer this side opens, or wants, no new streams here: from the connector, it is draining; from the
     * proxy, the tunnel is retiring and the connector should open a replacement.
     */
    public void goAway(String reason) throws IOException {
        send(new Frame.GoAway(reason));
    }

    /** Sends connection-level configuration (proxy → connector; see {@link Frame.Config}). */
    public void config(Frame.Config config) throws IOException {
        send(config);
    }

    /**
     * Records whether the peer announced it reads TRAILERS frames ({@link TunnelFeatures#TRAILERS}, on the tunnel's
     * upgrade); until then streams end with END and drop their trailer fields.
     */
    public void peerReadsTrailers(boolean reads) {
        this.peerReadsTrailers = reads;
    }

    /** Whether the peer announced it reads TRAILERS frames. */
    public boolean peerReadsTrailers() {
        return peerReadsTrailers;
    }

    /** True once the peer sent GOAWAY. */
    public boolean peerDraining() {
        return goAway;
    }

    public boolean isOpen() {
        return closedReason == null;
    }

    public int activeStreams() {
        return streams.size();
    }

    /** The connection is gone: every stream still open fails with {@link ResetCode#TUNNEL_CLOSED}. */
    public void close(String reason) {
        // Exclusive with open(): a stream is either registered before (and reset here) or refused after.
        opening.writeLock().lock();
        try {
            if (closedReason != null) {
                return;
            }
            closedReason = reason;
        } finally {
            opening.writeLock().unlock();
        }
        for (TunnelStream s : streams.values()) {
            s.onReset(ResetCode.TUNNEL_CLOSED, reason);
        }
        streams.clear();
    }
}
