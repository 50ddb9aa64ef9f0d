package dev.drawbridge.connector.operations;

import dev.drawbridge.model.operations.HealthReport;
import dev.drawbridge.model.operations.HealthReport.Check;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * The connector's health, as its management listener answers it (docs/operations.md):
 * <ul>
 *   <li><b>live</b>: every tunnel's connect-and-supervise loop still runs (one that died would never reconnect).
 *   A server that is down does not count: restarting the connector would not bring it back.</li>
 *   <li><b>ready</b>: at least one tunnel is connected to the server, and the connector is not stopping.</li>
 * </ul>
 */
public final class ConnectorHealth {
    private final IntSupplier connected;
    private final IntSupplier tunnels;
    private final BooleanSupplier anyLoopDied;
    private volatile boolean stopping;

    /**
     * @param connected   tunnels connected now
     * @param tunnels     tunnels configured
     * @param anyLoopDied whether a tunnel's loop ended although nobody stopped it
     */
    public ConnectorHealth(IntSupplier connected, IntSupplier tunnels, BooleanSupplier anyLoopDied) {
        this.connected = connected;
        this.tunnels = tunnels;
        this.anyLoopDied = anyLoopDied;
    }

    /** From now on the connector is stopping (draining): not ready. */
    public void stopping() {
        stopping = true;
    }

    public HealthReport live() {
        return HealthReport.of(List.of(anyLoopDied.getAsBoolean()
                ? Check.down("tunnel-loops", "a tunnel's connection loop ended and will not reconnect; restart the connector")
                : Check.up("tunnel-loops", "every tunnel is connected or reconnecting")));
    }

    public HealthReport ready() {
        int up = connected.getAsInt(), all = tunnels.getAsInt();
        String detail = up + " of " + all + " tunnels connected to the server";
        Check tunnelsCheck = up > 0 ? Check.up("tunnels", detail) : Check.down("tunnels", detail);
        Check lifecycle = stopping ? Check.down("lifecycle", "the connector is stopping") : Check.up("lifecycle", "running");
        return HealthReport.of(List.of(tunnelsCheck, lifecycle));
    }
}
