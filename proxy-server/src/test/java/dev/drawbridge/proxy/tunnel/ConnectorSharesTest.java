package dev.drawbridge.proxy.tunnel;

import dev.drawbridge.model.tunnel.FlowControl;
import dev.drawbridge.model.tunnel.WindowBudget;
import dev.drawbridge.tunnel.transport.PinnedInput;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each connector's fair share of the server's window and pinned-input budgets ({@link ConnectorShares}): the whole
 * budget while it is the only connector, the budget divided by the connectors connected otherwise, one share per
 * connector for all its tunnels, all shares drawing on the one whole budget. (The shares at work over real links:
 * PinnedInputTest and WindowBudgetTest; through the server: system-tests' ServerRetainedSlicesTest.)
 */
class ConnectorSharesTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void aConnectorsShareIsTheBudgetDividedByTheConnectorsConnected() {
        WindowBudget windows = new WindowBudget(120 * MIB);
        PinnedInput pinned = new PinnedInput(24 * MIB);
        ConnectorShares shares = new ConnectorShares(new FlowControl(16 * (int) MIB, 64 * MIB, windows), pinned);
        ConnectorShares.Share a = shares.of("a");
        assertThat(shares.of("a")).as("one share for all of a connector's tunnels").isSameAs(a);
        assertThat(a.flowControl().maxWindow()).isEqualTo(16 * (int) MIB);
        assertThat(a.flowControl().tunnelBudget()).isEqualTo(64 * MIB);

        assertThat(a.pinned().limit()).as("no connector yet: the whole").isEqualTo(24 * MIB);
        shares.connected();
        assertThat(a.pinned().limit()).as("alone: the whole").isEqualTo(24 * MIB);
        assertThat(a.flowControl().processBudget().limit()).isEqualTo(120 * MIB);
        shares.connected();
        assertThat(a.pinned().limit()).as("two connectors: half each").isEqualTo(12 * MIB);
        assertThat(a.flowControl().processBudget().limit()).isEqualTo(60 * MIB);
        assertThat(shares.of("b").pinned().limit()).isEqualTo(12 * MIB);
        shares.connected();
        assertThat(a.pinned().limit()).isEqualTo(8 * MIB);
        shares.disconnected();
        shares.disconnected();
        assertThat(a.pinned().limit()).as("the other connectors left").isEqualTo(24 * MIB);
        shares.disconnected();
        shares.disconnected();
        assertThat(shares.parties()).as("never below one").isEqualTo(1);
    }

    @Test
    void eachConnectorHasItsOwnShareOfTheOneServerBudget() {
        PinnedInput pinned = new PinnedInput(24 * MIB);
        ConnectorShares shares = new ConnectorShares(FlowControl.DEFAULT, pinned);
        assertThat(shares.pinned()).isSameAs(pinned);
        shares.connected();
        shares.connected();
        assertThat(shares.of("a").pinned()).isNotSameAs(shares.of("b").pinned());
        assertThat(shares.of("a").flowControl().processBudget()).isNotSameAs(shares.of("b").flowControl().processBudget());
        assertThat(shares.of("a").flowControl().processBudget()).isNotSameAs(WindowBudget.process());
    }
}
