package dev.drawbridge.model.tunnel;

import java.util.Objects;

/**
 * How far a {@link Multiplexer} lets the receive windows of its streams grow beyond {@link Multiplexer#INITIAL_WINDOW}
 * (see docs/tunnel.md, "Flow control"). Every stream starts at the initial window, which both peers assume without
 * saying; a receiver whose reader keeps up while the window, not the reader, limits the stream grants more than it
 * consumed, up to {@code maxWindow}; the growth of all the tunnel's streams together (each window minus the initial one)
 * is bounded by {@code tunnelBudget}. So a tunnel holds at most streams × initial window + tunnel budget of data
 * received but not yet read.
 *
 * @param maxWindow     the largest window one stream may grow to, in bytes (at least the initial window; equal to it:
 *                      fixed windows, as before auto-tuning)
 * @param tunnelBudget  the bytes by which all the tunnel's streams together may exceed their initial windows
 * @param processBudget the same across every tunnel sharing it: all of a process's ({@link WindowBudget#process()} by
 *                      default), so that many tunnels cannot together park what their budgets would each allow
 */
public record FlowControl(int maxWindow, long tunnelBudget, WindowBudget processBudget) {
    /** The default largest window of one stream: 16 MiB (covers 320 MiB/s at 50 ms). */
    public static final int DEFAULT_MAX_WINDOW = 16 * 1024 * 1024;
    /** The default growth budget of one tunnel: 64 MiB. */
    public static final long DEFAULT_TUNNEL_BUDGET = 64L * 1024 * 1024;
    /** 16 MiB per stream, 64 MiB per tunnel, the process's default budget across tunnels. */
    public static final FlowControl DEFAULT = new FlowControl(DEFAULT_MAX_WINDOW, DEFAULT_TUNNEL_BUDGET);
    /** Fixed windows: grants exactly what was consumed, as every peer did before auto-tuning. */
    public static final FlowControl FIXED = new FlowControl(Multiplexer.INITIAL_WINDOW, 0);

    /** Within the process's default budget across tunnels ({@link WindowBudget#process()}). */
    public FlowControl(int maxWindow, long tunnelBudget) {
        this(maxWindow, tunnelBudget, WindowBudget.process());
    }

    public FlowControl {
        Objects.requireNonNull(processBudget, "processBudget");
        if (maxWindow < Multiplexer.INITIAL_WINDOW) {
            throw new IllegalArgumentException("maxWindow must be at least the initial window of " + Multiplexer.INITIAL_WINDOW
                    + " bytes: " + maxWindow);
        }
        if (tunnelBudget < 0) {
            throw new IllegalArgumentException("tunnelBudget must not be negative: " + tunnelBudget);
        }
    }

    /** Whether windows may grow at all. */
    public boolean autoTunes() {
        return maxWindow > Multiplexer.INITIAL_WINDOW && tunnelBudget > 0 && processBudget.limit() > 0;
    }
}
