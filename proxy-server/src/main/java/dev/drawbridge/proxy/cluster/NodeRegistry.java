package dev.drawbridge.proxy.cluster;

import dev.drawbridge.model.cluster.ClusterNodes;
import dev.drawbridge.proxy.store.Database;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import static dev.drawbridge.proxy.store.db.Tables.CLUSTER_NODE;

/**
 * This node among the proxy-server nodes sharing one PostgreSQL database (table {@code cluster_node}, V49): it writes its
 * row at start (a fresh id per process, its name and the tunnel URL it advertises), beats every {@link #BEAT}, and each
 * beat reads the live nodes: a beat newer than {@link #STALE_AFTER} by the database's clock, not draining. A stopping
 * node marks itself draining ({@link #leave()}: out of every list at once) and deletes its row last ({@link #close()}).
 *
 * <p>On the embedded H2 database (one node) the list is this node alone and nothing is written.
 *
 * <p>The list is bounded ({@link ClusterNodes#MAX_NODES}, oldest nodes first, this node always in) and holds only usable
 * tunnel URLs under the server's domain: a damaged or hostile table of thousands of rows costs one bounded query
 * ({@value #READ_LIMIT} rows) and never reaches connectors beyond the bound. Rows whose beat is
 * older than {@link #FORGET_AFTER} (killed nodes) are deleted by whichever node beats.
 */
public final class NodeRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeRegistry.class);
    /** How often a node beats and reads the list. */
    public static final Duration BEAT = Duration.ofSeconds(2);
    /** A node whose last beat is older than this is not live (five beats missed: a killed node leaves lists within ~10 s). */
    public static final Duration STALE_AFTER = Duration.ofSeconds(10);
    /** Rows of nodes silent for this long are deleted. */
    public static final Duration FORGET_AFTER = Duration.ofHours(1);
    /** Rows read per beat at most (the oldest live ones), of which the first {@link ClusterNodes#MAX_NODES} usable are listed. */
    private static final int READ_LIMIT = 256;

    private final Optional<DSLContext> dsl;
    private final String id = UUID.randomUUID().toString();
    private final String name;
    private final String tunnelUrl;
    private final Duration staleAfter;
    private final Predicate<String> listable;
    private volatile ClusterNodes live;
    private volatile boolean leaving;
    private volatile List<Peer> sharing = List.of();
    /** The nodes already warned about (once per node: the warning is not repeated every beat). */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    private NodeRegistry(Optional<DSLContext> dsl, String name, String tunnelUrl, Duration staleAfter, Predicate<String> listable,
                         long startedMillis) {
        this.dsl = dsl;
        this.listable = listable;
        this.name = name;
        this.tunnelUrl = tunnelUrl;
        this.staleAfter = staleAfter;
        this.live = new ClusterNodes(startedMillis, List.of(tunnelUrl));
    }

    /** One node on its own database (H2): the list is this node. */
    public static NodeRegistry single(String tunnelUrl, long startedMillis) {
        return new NodeRegistry(Optional.empty(), "single", tunnelUrl, STALE_AFTER, u -> true, startedMillis);
    }

    /**
     * A node of a cluster on {@code db}, listed once it {@link #join()}s; the other nodes' URLs are listed only when
     * {@code listable} (a tunnel URL under the server's domain: a damaged or hostile row is left out).
     */
    public static NodeRegistry shared(Database db, String name, String tunnelUrl, Predicate<String> listable) {
        return new NodeRegistry(Optional.of(db.dsl()), name, tunnelUrl, STALE_AFTER, listable, 0);
    }

    /** Writes this node's row and reads the list (the server serves by now); throws if the database cannot be written. */
    public void join() {
        if (dsl.isPresent()) {
            insert();
            beat();
        }
    }

    private OffsetDateTime insert() {
        DSLContext d = dsl.orElseThrow();
        OffsetDateTime now = d.select(DSL.currentOffsetDateTime()).fetchSingle().value1();
        d.insertInto(CLUSTER_NODE).set(CLUSTER_NODE.ID, id).set(CLUSTER_NODE.NAME, name).set(CLUSTER_NODE.TUNNEL_URL, tunnelUrl)
                .set(CLUSTER_NODE.STARTED_AT, now).set(CLUSTER_NODE.HEARTBEAT_AT, now).set(CLUSTER_NODE.DRAINING, leaving).execute();
        return now;
    }

    /**
     * This node's id (its row): a fresh UUID per process, and the node's one identity in every shared row (job leases'
     * holders, throttle shares' node) and log line that names it.
     */
    public String id() {
        return id;
    }

    /** This node's name for operators ({@code host/pid}). */
    public String name() {
        return name;
    }

    /** The tunnel URL this node advertises. */
    public String tunnelUrl() {
        return tunnelUrl;
    }

    /** The live nodes as last read (this node among them unless it is leaving). */
    public ClusterNodes live() {
        return live;
    }

    /**
     * Beats and reads the live nodes; never throws (the database may be briefly unreachable: the list stays as it was,
     * and a node that cannot beat drops out of the others' lists after {@link #STALE_AFTER}, as it should). Returns
     * whether the list changed.
     */
    public boolean beat() {
        if (dsl.isEmpty()) {
            return false;
        }
        try {
            DSLContext d = dsl.get();
            OffsetDateTime now = d.update(CLUSTER_NODE).set(CLUSTER_NODE.HEARTBEAT_AT, DSL.currentOffsetDateTime())
                    .set(CLUSTER_NODE.DRAINING, leaving).where(CLUSTER_NODE.ID.eq(id))
                    .returningResult(CLUSTER_NODE.HEARTBEAT_AT).fetchOptional().map(r -> r.value1())
                    // Deleted meanwhile (silent for an hour, e.g. a paused VM): registered again.
                    .orElseGet(this::insert);
            d.deleteFrom(CLUSTER_NODE).where(CLUSTER_NODE.HEARTBEAT_AT.lt(now.minus(FORGET_AFTER))).execute();
            var others = d.select(CLUSTER_NODE.ID, CLUSTER_NODE.NAME, CLUSTER_NODE.TUNNEL_URL).from(CLUSTER_NODE)
                    .where(CLUSTER_NODE.HEARTBEAT_AT.gt(now.minus(staleAfter))).and(CLUSTER_NODE.DRAINING.isFalse())
                    .and(CLUSTER_NODE.ID.ne(id))
                    .orderBy(CLUSTER_NODE.STARTED_AT, CLUSTER_NODE.ID).limit(READ_LIMIT)
                    .fetch();
            List<String> urls = new ArrayList<>(others.map(r -> r.value3()));
            sameTunnelUrl(others.stream().filter(r -> tunnelUrl.equals(r.value3())).map(r -> new Peer(r.value1(), r.value2())).toList());
            if (!leaving) {
                urls.addFirst(tunnelUrl);
            }
            List<String> list = urls.stream().filter(u -> u.length() <= ClusterNodes.MAX_URL_LENGTH && listable.test(u)).distinct()
                    .limit(ClusterNodes.MAX_NODES).toList();
            if (list.equals(live.tunnelUrls())) {
                return false;
            }
            live = new ClusterNodes(Math.max(now.toInstant().toEpochMilli(), live.version() + 1), list);
            LOG.info("live proxy-server nodes: {}", list);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("cannot beat in the database (the node list stays as it was): {}", e.toString());
            return false;
        }
    }

    /** Another live node: its id and its name for operators. */
    public record Peer(String id, String name) {
    }

    /**
     * The other live nodes that advertise this node's tunnel URL (as of the last beat). Typically none sets
     * {@code advertise-tunnel-url}, so all say {@code wss://admin.<domain>:port}: connectors then keep their tunnels to that
     * one URL, and reach whichever node the balancer in front of it picks, not every node. Legal (a balancer spreads the
     * tunnels), hence a warning and not a refusal.
     */
    public List<Peer> sharingTunnelUrl() {
        return sharing;
    }

    private void sameTunnelUrl(List<Peer> peers) {
        sharing = peers;
        for (Peer p : peers) {
            if (warned.add(p.id())) {
                LOG.warn("live node {} ({}) advertises this node's tunnel URL {} too: connectors dial that one URL, so each of the two "
                        + "gets only the tunnels a balancer in front of it sends there, and a request reaching a node without a "
                        + "tunnel of the app's connector fails; set advertise-tunnel-url (--advertise-tunnel-url, "
                        + "DRAWBRIDGE_ADVERTISE_TUNNEL_URL) on each node to its own address", printable(p.name()), printable(p.id()), tunnelUrl);
            }
        }
    }

    /** A value read from the database, fit for one log line (a damaged or hostile row cannot forge lines). */
    private static String printable(String s) {
        String clean = s == null ? "" : s.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > 100 ? clean.substring(0, 100) + "…" : clean;
    }

    /**
     * This node stops: draining from now on (every node's next read leaves it out), and the list this node gives its
     * connectors no longer names it, with a version newer than any it gave, so they drop it at once.
     */
    public ClusterNodes leave() {
        leaving = true;
        ClusterNodes before = live;
        List<String> others = before.tunnelUrls().stream().filter(u -> !u.equals(tunnelUrl)).toList();
        long version = before.version() + 1;
        if (dsl.isPresent()) {
            try {
                DSLContext d = dsl.get();
                OffsetDateTime now = d.select(DSL.currentOffsetDateTime()).fetchSingle().value1();
                d.update(CLUSTER_NODE).set(CLUSTER_NODE.DRAINING, true).where(CLUSTER_NODE.ID.eq(id)).execute();
                // Newer than any list another node read before this node was marked draining.
                version = Math.max(version, now.toInstant().toEpochMilli() + 1);
            } catch (RuntimeException e) {
                LOG.warn("cannot mark this node draining in the database (it leaves the others' lists within {} s): {}",
                        staleAfter.toSeconds(), e.toString());
            }
        }
        live = new ClusterNodes(version, others);
        return live;
    }

    /** Deletes this node's row (last, after draining). */
    @Override
    public void close() {
        dsl.ifPresent(d -> {
            try {
                d.deleteFrom(CLUSTER_NODE).where(CLUSTER_NODE.ID.eq(id)).execute();
            } catch (RuntimeException e) {
                LOG.debug("cannot delete this node's row (it ages out): {}", e.toString());
            }
        });
    }
}
