package dev.drawbridge.model.tunnel;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static dev.drawbridge.model.tunnel.MuxPair.await;
import static dev.drawbridge.model.tunnel.MuxPair.head;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attacks the memory bound docs/tunnel.md states for auto-tuned windows: "a tunnel holds at most streams × 512 KiB +
 * 64 MiB of received, unread data on each side". Each test ends with the tunnel's unread data checked against
 * streams × initial window + budget (here a small budget, so the numbers stay small).
 */
@Timeout(60)
class WindowBoundAttackTest {
    private static final Duration ONE_WAY = Duration.ofMillis(20);
    private static final long BANDWIDTH = 64L * 1024 * 1024;
    private static final int MIB = 1024 * 1024;
    private static final int MAX_WINDOW = 4 * MIB;
    private static final long BUDGET = MAX_WINDOW - Multiplexer.INITIAL_WINDOW;
    private static final byte[] CHUNK = new byte[FrameCodec.MAX_DATA_PAYLOAD];

    private final List<SlowLinkPair> pairs = new ArrayList<>();

    @AfterEach
    void tearDown() {
        pairs.forEach(SlowLinkPair::close);
    }

    private SlowLinkPair pair() {
        SlowLinkPair p = new SlowLinkPair(ONE_WAY, BANDWIDTH, new FlowControl(MAX_WINDOW, BUDGET), FlowControl.DEFAULT, f -> false);
        pairs.add(p);
        return p;
    }

    /** Both sides of an endless download: [0] the proxy's (reading), [1] the connector's (writing for ever). */
    private static TunnelStream[] download(SlowLinkPair p, AtomicReference<Throwable> failure) throws Exception {
        TunnelStream client = p.proxy.open(head("download"));
        client.endOutputWithoutFrame();
        TunnelStream upstream = p.accept();
        upstream.sendHead(new ResponseHead(200, List.of()));
        Thread.ofPlatform().daemon().start(() -> {
            try {
                while (true) {
                    upstream.write(CHUNK, 0, CHUNK.length);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        });
        assertThat(client.awaitHead(Duration.ofSeconds(10)).status()).isEqualTo(200);
        return new TunnelStream[]{client, upstream};
    }

    /**
     * Reads fast until the stream's window reached {@code size} (or 16 MiB went by: the budget may not allow it), then
     * stops reading and waits for the sender to use up its credit; returns the window reached.
     */
    private static int growToThenStall(TunnelStream s, int size) throws IOException {
        for (long read = 0; s.receiveWindow() < size && read < 16L * MIB; read += s.read().length) {
            // reading as fast as it can
        }
        await("the sender used up its credit", () -> s.bytesReceived() == s.creditGranted());
        return s.receiveWindow();
    }

    private static long bound(int streams) {
        return (long) streams * Multiplexer.INITIAL_WINDOW + BUDGET;
    }

    /**
     * An honest sender and a reader that slows down (a public client reading slowly): each judgement halves the window
     * and gives the halves back to the tunnel's budget at once, although the credit granted at the larger size still
     * stands (the sender uses it: the data arrives). The window is back at 512 KiB with its growth returned while the
     * stream holds over 2 MiB unread; a second stream then takes the whole budget again. Repeated stream after stream,
     * each holds about half its largest window (8 MiB with the defaults) with none of it counted.
     */
    @Test
    void aShrinkingWindowGivesBackBudgetItsOutstandingCreditStillUses() throws Exception {
        SlowLinkPair p = pair();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        TunnelStream slow = download(p, failure)[0];
        assertThat(growToThenStall(slow, MAX_WINDOW)).isEqualTo(MAX_WINDOW);

        slowDown(slow);

        TunnelStream fast = download(p, failure)[0];
        growToThenStall(fast, MAX_WINDOW);

        long held = slow.bufferedInbound() + fast.bufferedInbound();
        assertThat(held).as("received, unread data of 2 streams (slow %d + fast %d bytes) against 2 x 512 KiB + budget",
                slow.bufferedInbound(), fast.bufferedInbound()).isLessThanOrEqualTo(bound(2));
        assertThat(failure.get()).isNull();
    }

    /** Reads one chunk at a time while more than half the window waits unread, until the window is back at the initial one. */
    private static void slowDown(TunnelStream s) throws IOException {
        while (s.receiveWindow() > Multiplexer.INITIAL_WINDOW) {
            await("the queue holds more than half the window", () -> s.bufferedInbound() > s.receiveWindow() / 2 + CHUNK.length);
            assertThat(s.read()).isNotNull();
        }
        await("the sender used up its credit", () -> s.bytesReceived() == s.creditGranted());
    }

    /**
     * The same, stream after stream (one public client's downloads, read fast, then slowly): every stream ends up
     * holding over 2 MiB (half its largest window; 8 MiB with the defaults) while the budget is free again for the next.
     * The excess grows with the streams, not with the budget.
     */
    @Test
    void streamAfterStreamEachKeepsHalfItsLargestWindowUncounted() throws Exception {
        SlowLinkPair p = pair();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int streams = 4;
        long held = 0;
        List<TunnelStream> all = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            TunnelStream s = download(p, failure)[0];
            all.add(s);
            growToThenStall(s, MAX_WINDOW);
            slowDown(s);
        }
        for (TunnelStream s : all) {
            held += s.bufferedInbound();
        }
        assertThat(held).as("received, unread data of %d slowed streams against %d x 512 KiB + budget", streams, streams)
                .isLessThanOrEqualTo(bound(streams));
        assertThat(failure.get()).isNull();
    }

    /**
     * The connector resets a grown, full stream whose owner has not read it yet (a handler blocked writing a chunk to a
     * slow client): the growth goes back to the budget, but the stream keeps its queue (the reset does not free it) until
     * the owner lets go of the stream; another stream meanwhile grows into the budget returned.
     */
    @Test
    void aResetStreamFreesItsQueueWhenItGivesItsGrowthBack() throws Exception {
        SlowLinkPair p = pair();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        TunnelStream[] first = download(p, failure);
        assertThat(growToThenStall(first[0], MAX_WINDOW)).isEqualTo(MAX_WINDOW);

        first[1].reset(ResetCode.UPSTREAM_ERROR, "the app failed mid-body");
        await("the proxy saw the reset", first[0]::isReset);

        TunnelStream second = download(p, failure)[0];
        growToThenStall(second, MAX_WINDOW);

        long held = first[0].bufferedInbound() + second.bufferedInbound();
        assertThat(held).as("received, unread data of 2 streams (reset %d + grown %d bytes) against 2 x 512 KiB + budget",
                first[0].bufferedInbound(), second.bufferedInbound()).isLessThanOrEqualTo(bound(2));
    }

    /**
     * A peer sends DATA frames without a byte in them: they use no credit, so the window check passes every one, and
     * each is queued (an array and a queue slot) until read: a connector can grow the proxy's heap without bound on one
     * stream whose reader is slow. None should be queued (dropped, or the stream reset).
     */
    @Test
    void emptyDataFramesAreNotQueued() throws Exception {
        Multiplexer mux = new Multiplexer(frame -> { }, null, Runnable::run);
        TunnelStream s = mux.open(head("empty"));
        s.endOutputWithoutFrame();
        mux.receive(new Frame.Head(s.id(), new ResponseHead(200, List.of())));
        int frames = 200_000;
        for (int i = 0; i < frames; i++) {
            mux.receive(new Frame.Data(s.id(), new byte[0]));
        }
        mux.receive(new Frame.Data(s.id(), new byte[]{7}));
        mux.receive(new Frame.End(s.id()));

        int chunks = 0;
        try {
            for (byte[] b = s.read(); b != null; b = s.read()) {
                chunks++;
            }
        } catch (StreamResetException e) {
            assertThat(e.code()).isEqualTo(ResetCode.PROTOCOL_ERROR);
        }
        assertThat(chunks).as("chunks queued for %d empty DATA frames and one byte", frames).isLessThanOrEqualTo(1);
        mux.close("test over");
    }

    /**
     * A peer splits its credit into 1-byte DATA frames: the window counts bytes, but each byte is queued as its own array
     * (about 24 bytes of heap plus a queue slot), so a full window costs some 30 times its size. With windows grown to
     * 16 MiB and a 64 MiB budget that is some 2 GiB per tunnel rather than 64 MiB. The queue should hold about as many
     * chunks as kilobytes at most, whatever the frames' sizes (e.g. small arrivals appended to a small last chunk).
     */
    @Test
    void oneByteDataFramesDoNotCostAQueuedArrayEach() throws Exception {
        Multiplexer mux = new Multiplexer(frame -> { }, null, Runnable::run);
        TunnelStream s = mux.open(head("tiny"));
        s.endOutputWithoutFrame();
        mux.receive(new Frame.Head(s.id(), new ResponseHead(200, List.of())));
        for (int i = 0; i < Multiplexer.INITIAL_WINDOW; i++) {
            mux.receive(new Frame.Data(s.id(), new byte[]{(byte) i}));
        }
        mux.receive(new Frame.End(s.id()));
        assertThat(s.isReset()).as("the window was not overrun").isFalse();

        int chunks = 0;
        long bytes = 0;
        for (byte[] b = s.read(); b != null; b = s.read()) {
            chunks++;
            bytes += b.length;
        }
        assertThat(bytes).isEqualTo(Multiplexer.INITIAL_WINDOW);
        assertThat(chunks).as("queued chunks for a window of 1-byte frames").isLessThanOrEqualTo(TunnelStream.MAX_QUEUED_CHUNKS + 1);
        mux.close("test over");
    }

    /** A WebSocket stream's chunks are its message fragments: never merged, and its window never grows. */
    @Test
    void aWebSocketStreamKeepsEveryFragmentAndItsInitialWindow() throws Exception {
        Multiplexer mux = new Multiplexer(frame -> { }, null, Runnable::run);
        TunnelStream s = mux.open(new RequestHead("ws", "GET", "http://x/", List.of(), Duration.ofSeconds(5), true, true));
        mux.receive(new Frame.Head(s.id(), new ResponseHead(101, List.of())));
        int n = 3 * TunnelStream.MAX_QUEUED_CHUNKS;
        for (int i = 0; i < n; i++) {
            mux.receive(new Frame.Data(s.id(), new byte[]{3, (byte) i}));
        }
        for (int i = 0; i < n; i++) {
            assertThat(s.read()).as("fragment %d", i).containsExactly(3, (byte) i);
        }
        assertThat(s.receiveWindow()).isEqualTo(Multiplexer.INITIAL_WINDOW);
        mux.close("test over");
    }
}
