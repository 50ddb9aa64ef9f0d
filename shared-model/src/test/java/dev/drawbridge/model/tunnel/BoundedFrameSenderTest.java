package dev.drawbridge.model.tunnel;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Frames go out without waiting for each write, but never more than the budget is queued; failures are reported. */
class BoundedFrameSenderTest {
    private static final int BUDGET = FrameCodec.MAX_FRAME_SIZE;

    @Test
    void sendersBlockOnceTheBudgetIsQueuedAndResumeAsWritesComplete() throws Exception {
        List<Runnable> pending = new CopyOnWriteArrayList<>();
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        BoundedFrameSender sender = new BoundedFrameSender((buf, done, failed) -> {
            sizes.add(buf.remaining());
            pending.add(done);
        }, BUDGET, t -> { });
        byte[] chunk = new byte[60_000];
        for (int i = 0; i < 4; i++) {
            sender.send(new Frame.Data(1, chunk)); // 4 x 60005 bytes fit in 256 KiB
        }
        Thread blocked = Thread.startVirtualThread(() -> {
            try {
                sender.send(new Frame.Data(1, chunk));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(blocked.join(Duration.ofMillis(300))).as("fifth frame waits for room").isFalse();
        assertThat(sizes).hasSize(4);
        pending.getFirst().run();
        assertThat(blocked.join(Duration.ofSeconds(5))).isTrue();
        assertThat(sizes).hasSize(5);
        assertThat(sender.queuedBytes(BUDGET)).isEqualTo(4 * (60_005 + BoundedFrameSender.FRAME_OVERHEAD));
    }

    @Test
    void aFailedWriteReleasesItsBytesAndIsReported() throws Exception {
        AtomicReference<Throwable> reported = new AtomicReference<>();
        BoundedFrameSender sender = new BoundedFrameSender((buf, done, failed) -> failed.accept(new IOException("reset")),
                BUDGET, reported::set);
        for (int i = 0; i < 20; i++) {
            sender.send(new Frame.Data(1, new byte[60_000]));
        }
        assertThat(reported.get()).hasMessage("reset");
        assertThat(sender.queuedBytes(BUDGET)).isZero();
    }

    /**
     * A peer that does not read while this side sends tiny frames (ENDs, RESETs: e.g. one RESET per OPEN a hostile
     * connector sends the proxy) must not queue hundreds of thousands of them: each costs far more memory than its bytes.
     */
    @Test
    void theBudgetBoundsHowManyTinyFramesWaitNotOnlyTheirBytes() throws Exception {
        List<Runnable> pending = new CopyOnWriteArrayList<>();
        BoundedFrameSender sender = new BoundedFrameSender((buf, done, failed) -> pending.add(done), BUDGET, t -> { });
        int sent = 0;
        while (sender.canSendWithoutWaiting(5) && sent < BUDGET) {
            sender.send(new Frame.End(1));
            sent++;
        }
        assertThat(sent).as("ENDs queued before a sender would wait").isPositive()
                .isLessThanOrEqualTo(BUDGET / BoundedFrameSender.FRAME_OVERHEAD);
        assertThat(pending).hasSize(sent);
        pending.forEach(Runnable::run);
        assertThat(sender.queuedBytes(BUDGET)).isZero();
    }

    @Test
    void aFrameAsLargeAsTheBudgetStillGoes() throws Exception {
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        BoundedFrameSender sender = new BoundedFrameSender((buf, done, failed) -> {
            sizes.add(buf.remaining());
            done.run();
        }, BUDGET, t -> { });
        // A frame within the charge of the budget (its bytes plus the overhead exceed it): charged the whole budget.
        Frame big = new Frame.Config("x", List.of(new HeaderField("v", "a".repeat(BUDGET - 100))));
        int size = FrameCodec.encode(big).remaining();
        assertThat(size + BoundedFrameSender.FRAME_OVERHEAD).isGreaterThan(BUDGET);
        Thread t = Thread.startVirtualThread(() -> {
            try {
                sender.send(big);
                sender.send(big);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(t.join(Duration.ofSeconds(5))).as("both sent").isTrue();
        assertThat(sizes).containsExactly(size, size);
    }

    @Test
    void framesKeepTheirOrder() throws Exception {
        List<Integer> ids = new ArrayList<>();
        BoundedFrameSender sender = new BoundedFrameSender((buf, done, failed) -> {
            ByteBuffer b = buf.duplicate();
            b.get();
            ids.add(b.getInt());
            done.run();
        }, BUDGET, t -> { });
        for (int i = 1; i <= 100; i++) {
            sender.send(new Frame.End(i));
        }
        assertThat(ids).containsExactlyElementsOf(IntStream.rangeClosed(1, 100).boxed().toList());
    }

    /** The receive path answers PINGs and readers grant credit: neither may wait behind a full data budget. */
    @Test
    void windowPingAndPongNeverWaitForTheDataBudget() throws Exception {
        List<Runnable> pending = new CopyOnWriteArrayList<>();
        List<Byte> types = new CopyOnWriteArrayList<>();
        BoundedFrameSender sender = new BoundedFrameSender((buf, done, failed) -> {
            types.add(buf.get(buf.position()));
            pending.add(done);
        }, BUDGET, t -> { });
        for (int i = 0; i < 4; i++) {
            sender.sendData(1, new byte[60_000], 0, 60_000);
        }
        assertThat(sender.canSendWithoutWaiting(FrameCodec.MAX_DATA_PAYLOAD)).isFalse();
        Thread control = Thread.startVirtualThread(() -> {
            try {
                sender.send(new Frame.Pong(1));
                sender.send(new Frame.Window(1, 100_000));
                sender.send(new Frame.Ping(2));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(control.join(Duration.ofSeconds(5))).as("control frames sent at once").isTrue();
        assertThat(types).containsExactly((byte) 3, (byte) 3, (byte) 3, (byte) 3, (byte) 8, (byte) 6, (byte) 7);
        assertThat(sender.queuedBytes(BUDGET)).as("control frames take no data budget").isEqualTo(4 * (60_005 + BoundedFrameSender.FRAME_OVERHEAD));
    }

    @Test
    void probesPastTheBoundAreDroppedButWindowsNever() throws Exception {
        List<Runnable> pending = new CopyOnWriteArrayList<>();
        List<Byte> types = new CopyOnWriteArrayList<>();
        BoundedFrameSender sender = new BoundedFrameSender((buf, done, failed) -> {
            types.add(buf.get(buf.position()));
            pending.add(done);
        }, BUDGET, t -> { });
        for (int i = 0; i < BoundedFrameSender.MAX_QUEUED_PROBES + 10; i++) {
            sender.send(new Frame.Pong(i));
        }
        for (int i = 0; i < 200; i++) {
            sender.send(new Frame.Window(1, 1));
        }
        assertThat(types.stream().filter(t -> t == 8)).hasSize(BoundedFrameSender.MAX_QUEUED_PROBES);
        assertThat(types.stream().filter(t -> t == 6)).hasSize(200);
        pending.getFirst().run();
        sender.send(new Frame.Ping(1));
        assertThat(types.getLast()).as("room again once one was written").isEqualTo((byte) 7);
    }
}
