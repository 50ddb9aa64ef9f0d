package dev.drawbridge.model.tunnel;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The process-wide bound on window growth ({@link WindowBudget}): tunnels sharing it cannot together grow their windows
 * past it, whatever their own budgets allow, and growth given back by any of them is free for the others.
 */
class WindowBudgetTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void manyTunnelsTogetherStayWithinTheProcessBudget() {
        WindowBudget process = new WindowBudget(100 * MIB);
        FlowControl flow = new FlowControl(16 * (int) MIB, 64 * MIB, process);
        List<Multiplexer> tunnels = new ArrayList<>();
        long got = 0;
        for (int i = 0; i < 1000; i++) {
            Multiplexer m = new Multiplexer(f -> { }, null, Runnable::run, Multiplexer.LAST_STREAM_ID, Multiplexer.Lifecycle.NONE, flow);
            tunnels.add(m);
            got += m.reserveGrowth(64 * MIB);
        }
        assertThat(got).as("1,000 tunnels of 64 MiB each").isEqualTo(100 * MIB);
        assertThat(process.used()).isEqualTo(100 * MIB);
        assertThat(tunnels.get(0).windowGrowth()).isEqualTo(64 * MIB);
        assertThat(tunnels.get(1).windowGrowth()).as("what the process budget had left").isEqualTo(36 * MIB);
        assertThat(tunnels.get(2).windowGrowth()).isZero();
        // Growth given back by one tunnel is free for another.
        tunnels.get(0).releaseGrowth(10 * MIB);
        assertThat(process.used()).isEqualTo(90 * MIB);
        assertThat(tunnels.get(2).reserveGrowth(64 * MIB)).isEqualTo(10 * MIB);
        assertThat(tunnels.get(2).windowGrowth()).isEqualTo(10 * MIB);
    }

    @Test
    void aTunnelsOwnBudgetStillBoundsIt() {
        WindowBudget process = new WindowBudget(1024 * MIB);
        Multiplexer m = new Multiplexer(f -> { }, null, Runnable::run, Multiplexer.LAST_STREAM_ID, Multiplexer.Lifecycle.NONE,
                new FlowControl(16 * (int) MIB, 8 * MIB, process));
        assertThat(m.reserveGrowth(64 * MIB)).isEqualTo(8 * MIB);
        assertThat(process.used()).isEqualTo(8 * MIB);
    }

    /**
     * Shares (the server gives each connector one): a share's tunnels grow only up to its own limit, which may change (a
     * second connector joins: half), and never past what the whole budget has left; growth given back returns to both.
     */
    @Test
    void aShareStopsAtItsOwnLimitAndAtTheWholeBudget() {
        WindowBudget whole = new WindowBudget(100 * MIB);
        AtomicLong parties = new AtomicLong(1);
        WindowBudget a = whole.share(() -> whole.limit() / parties.get());
        WindowBudget b = whole.share(() -> whole.limit() / parties.get());
        Multiplexer ma = new Multiplexer(f -> { }, null, Runnable::run, Multiplexer.LAST_STREAM_ID, Multiplexer.Lifecycle.NONE,
                new FlowControl(16 * (int) MIB, 1024 * MIB, a));
        Multiplexer mb = new Multiplexer(f -> { }, null, Runnable::run, Multiplexer.LAST_STREAM_ID, Multiplexer.Lifecycle.NONE,
                new FlowControl(16 * (int) MIB, 1024 * MIB, b));
        assertThat(ma.reserveGrowth(70 * MIB)).as("alone: the whole budget").isEqualTo(70 * MIB);
        parties.set(2);
        assertThat(ma.reserveGrowth(10 * MIB)).as("above its half now: nothing more").isZero();
        assertThat(mb.reserveGrowth(64 * MIB)).as("what the whole has left, under its half").isEqualTo(30 * MIB);
        assertThat(whole.used()).isEqualTo(100 * MIB);
        assertThat(a.used()).isEqualTo(70 * MIB);
        ma.releaseGrowth(40 * MIB);
        assertThat(whole.used()).isEqualTo(60 * MIB);
        assertThat(a.used()).isEqualTo(30 * MIB);
        assertThat(mb.reserveGrowth(64 * MIB)).as("b up to its half").isEqualTo(20 * MIB);
        assertThat(ma.reserveGrowth(64 * MIB)).as("a up to its half").isEqualTo(20 * MIB);
        assertThat(whole.used()).isEqualTo(100 * MIB);
        assertThatThrownBy(() -> a.share(() -> 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aZeroProcessBudgetMeansFixedWindows() {
        assertThat(new FlowControl(16 * (int) MIB, 64 * MIB, new WindowBudget(0)).autoTunes()).isFalse();
        assertThatThrownBy(() -> new WindowBudget(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
