package dev.drawbridge.proxy.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the nodes of a cluster split one limit, each computing its own share from the same rows so that the shares add up to
 * the whole limit: a {@code floor} (a fraction of the limit) is split evenly among the live nodes, so that none is ever
 * starved and a node whose clients just arrived admits at once; the rest goes max-min fairly (water-filling) to what each
 * node was asked beyond its floor: a node asked less than an even split gets all it was asked, the others split what is
 * left evenly; what nobody asked for is split evenly too, as headroom for a node whose load grows.
 */
final class ShareAllocation {
    private ShareAllocation() {
    }

    /**
     * {@code self}'s share (0 to 1) of a limit of {@code perSecond}, given what each live node was asked a second
     * ({@code demand}; a node missing from it was asked nothing). {@code nodes} holds every live node, {@code self} among them.
     */
    static double share(String self, Set<String> nodes, Map<String, Double> demand, double perSecond, double floor) {
        int n = nodes.size();
        double floorEach = floor / n;
        double rest = 1.0 - floor;
        double mine = excess(demand.getOrDefault(self, 0.0), perSecond, floorEach);
        List<Double> excesses = new ArrayList<>(n);
        for (String node : nodes) {
            excesses.add(excess(demand.getOrDefault(node, 0.0), perSecond, floorEach));
        }
        excesses.sort(null);
        double remaining = rest;
        int left = n;
        double level = 0;
        for (double e : excesses) {
            double give = Math.min(e, remaining / left);
            remaining -= give;
            left--;
            level = Math.max(level, give);
        }
        // Every node asked at least the water level gets it; one asked less, what it asked.
        double given = Math.min(mine, level);
        return floorEach + given + remaining / n;
    }

    /** What a node was asked beyond its floor, as a fraction of the limit. */
    private static double excess(double demand, double perSecond, double floorEach) {
        return Math.max(0, demand / perSecond - floorEach);
    }
}
