package dev.drawbridge.model.cluster;

import dev.drawbridge.model.tunnel.Frame;
import dev.drawbridge.model.tunnel.HeaderField;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Server → connector: the tunnel URLs of the live proxy-server nodes, so that a connector keeps tunnels to each of them
 * and any node can dispatch any request (docs/scale-out.md). Sent as a CONFIG frame of kind {@value #KIND} on tunnels
 * whose connector announced {@link dev.drawbridge.model.tunnel.TunnelFeatures#NODES}, and in the endpoints answer
 * ({@code GET /connector/v1/endpoints}).
 *
 * <p>{@code version} is the database's time (milliseconds) when the sending node saw this list change: nodes read the
 * list a moment apart, so a connector keeps the list of the highest version it received and ignores older ones (a
 * node that has not yet seen a newcomer does not make the connector drop it). The URLs are not trusted because of this
 * type: the connector validates each ({@code connector.tunnel.NodeUrls}) and dials only over TLS verified against its
 * pinned server CA.
 *
 * @param version   when the list changed, by the database's clock (ms since the epoch); larger is newer
 * @param tunnelUrls the live nodes' tunnel URLs, at most {@link #MAX_NODES}, without duplicates, in a stable order
 */
public record ClusterNodes(long version, List<String> tunnelUrls) {
    public static final String KIND = "nodes";
    /** More nodes than this are not sent (nor accepted): a damaged or hostile table must not make a connector dial thousands. */
    public static final int MAX_NODES = 32;
    /** The longest URL sent or accepted. */
    public static final int MAX_URL_LENGTH = 512;
    private static final String VERSION = "version", NODE = "node";

    public ClusterNodes {
        Objects.requireNonNull(tunnelUrls, "tunnelUrls");
        tunnelUrls = List.copyOf(tunnelUrls);
        if (tunnelUrls.size() > MAX_NODES) {
            throw new IllegalArgumentException("tunnelUrls: " + tunnelUrls.size() + " nodes, more than " + MAX_NODES);
        }
        if (tunnelUrls.stream().distinct().count() != tunnelUrls.size()) {
            throw new IllegalArgumentException("tunnelUrls: duplicates");
        }
        for (String u : tunnelUrls) {
            if (u.isEmpty() || u.length() > MAX_URL_LENGTH) {
                throw new IllegalArgumentException("tunnelUrls: a URL is empty or longer than " + MAX_URL_LENGTH + " characters");
            }
        }
    }

    public Frame.Config toFrame() {
        List<HeaderField> entries = new ArrayList<>();
        entries.add(new HeaderField(VERSION, Long.toString(version)));
        tunnelUrls.forEach(u -> entries.add(new HeaderField(NODE, u)));
        return new Frame.Config(KIND, entries);
    }

    /**
     * The list a CONFIG frame carries; empty when it is of another kind, lacks its version, or is not a valid list (too many
     * nodes, a URL too long): the connector then keeps what it had.
     */
    public static Optional<ClusterNodes> from(Frame.Config config) {
        if (!KIND.equals(config.kind())) {
            return Optional.empty();
        }
        try {
            long version = Long.parseLong(config.entry(VERSION).orElseThrow(() -> new IllegalArgumentException("no version")));
            List<String> urls = config.entries().stream().filter(e -> e.name().equals(NODE)).map(HeaderField::value).limit(MAX_NODES + 1L)
                    .toList();
            return Optional.of(new ClusterNodes(version, urls));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
