package dev.drawbridge.proxy.policy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link ShareAllocation}: whatever each node was asked, the shares the nodes compute from the same rows add up to the whole
 * limit; a node asked less than an even split gets what it was asked (plus its floor and the unasked headroom), the others
 * split the rest evenly; idle nodes split it evenly; a node never gets less than its floor.
 */
class ShareAllocationTest {
    static final Set<String> NODES = Set.of("a", "b", "c");

    static double sum(Map<String, Double> demand, double floor) {
        return NODES.stream().mapToDouble(n -> ShareAllocation.share(n, NODES, demand, 100, floor)).sum();
    }

    @Test
    void theSharesAlwaysAddUpToTheLimit() {
        for (Map<String, Double> demand : List.of(Map.<String, Double>of(), Map.of("a", 1000.0), Map.of("a", 10.0, "b", 500.0, "c", 90.0),
                Map.of("a", 30.0, "b", 30.0, "c", 30.0), Map.of("a", 0.5), Map.of("a", 40.0, "b", 40.0, "c", 40.0))) {
            for (double floor : new double[]{0, 0.05, 0.5}) {
                assertThat(sum(demand, floor)).as("%s floor %s", demand, floor).isCloseTo(1.0, within(1e-9));
            }
        }
    }

    @Test
    void aLightNodeGetsWhatItAsksTheHeavyOnesSplitTheRest() {
        Map<String, Double> demand = Map.of("a", 10.0, "b", 500.0, "c", 90.0);
        // No floor: a gets its 10 %, b and c 45 % each.
        assertThat(ShareAllocation.share("a", NODES, demand, 100, 0)).isCloseTo(0.10, within(1e-9));
        assertThat(ShareAllocation.share("b", NODES, demand, 100, 0)).isCloseTo(0.45, within(1e-9));
        assertThat(ShareAllocation.share("c", NODES, demand, 100, 0)).isCloseTo(0.45, within(1e-9));
    }

    @Test
    void idleNodesSplitEvenlyAndHeadroomIsSpreadToo() {
        assertThat(ShareAllocation.share("a", NODES, Map.of(), 100, 0.05)).isCloseTo(1.0 / 3, within(1e-9));
        // 60 % asked in all: each gets what it asked plus a third of the 40 % nobody asked.
        Map<String, Double> demand = Map.of("a", 10.0, "b", 20.0, "c", 30.0);
        assertThat(ShareAllocation.share("c", NODES, demand, 100, 0)).isCloseTo(0.30 + 0.40 / 3, within(1e-9));
    }

    @Test
    void aNodeAskedNothingKeepsItsFloor() {
        Map<String, Double> demand = Map.of("b", 1e6, "c", 1e6);
        assertThat(ShareAllocation.share("a", NODES, demand, 100, 0.06)).isCloseTo(0.02, within(1e-9));
        assertThat(ShareAllocation.share("b", NODES, demand, 100, 0.06)).isCloseTo(0.49, within(1e-9));
    }
}
