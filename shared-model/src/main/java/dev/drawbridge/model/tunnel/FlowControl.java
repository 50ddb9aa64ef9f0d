package dev.drawbridge.model.tunnel;

/**
 * How far a {@link Multiplexer} lets the receive windows of its streams grow beyond {@link Multiplexer#INITIAL_WINDOW}
 * (see docs/tunnel.md, "Flow control"). Every stream starts at the initial window, which both peers assume without
 * saying; a receiver whose reader keeps up while the window, not the reader, limits the stream grants more than it
 * consumed, up to {@code maxWindow}; the growth of all the tunnel's streams together (each window minus the initial one)
 * is bounded by {@code tunnelBudget}. So a tunnel holds at most streams × initial window + tunnel budget of data
 * received but not yet read.
 *
 * @param maxWindow    the largest window one stream may grow to, in bytes (at least the initial window; equal to it:
 *                     fixed windows, as before auto-tuning)
 * @param tunnelBudget the bytes by which all the tunnel's streams together may exceed their initial windows
 */
public record FlowControl(int maxWindow, long tunnelBudget) {
    /** 16 MiB per stream (covers 320 MiB/s at 50 ms), 64 MiB per tunnel. */
    public static final FlowControl DEFAULT = new FlowControl(16 * 1024 * 1024, 64L * 1024 * 1024);
    /** Fixed windows: grants exactly what was consumed, as every peer did before auto-tuning. */
    public static final FlowControl FIXED = new FlowControl(Multiplexer.INITIAL_WINDOW, 0);

    public FlowControl {
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
        return maxWindow > Multiplexer.INITIAL_WINDOW && tunnelBudget > 0;
    }
}
