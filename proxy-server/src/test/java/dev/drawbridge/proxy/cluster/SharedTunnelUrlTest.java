package dev.drawbridge.proxy.cluster;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.PostgresTestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two live nodes advertising one tunnel URL (typically neither sets {@code advertise-tunnel-url}): each says so once at
 * WARN, naming the setting and the other node, and reports it ({@link NodeRegistry#sharingTunnelUrl()}, readiness'
 * {@code tunnel-url} check); a node with its own URL, and a node that drains, do not count. On real PostgreSQL
 * (DRAWBRIDGE_TEST_PG_URL; skipped without it).
 */
class SharedTunnelUrlTest {
    static final String SHARED = "wss://admin.example.com:8444/connector/v1/tunnel";
    static final String OWN = "wss://tunnel-3.example.com:8444/connector/v1/tunnel";

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(NodeRegistry.class);
    private final List<NodeRegistry> nodes = new ArrayList<>();
    private Database db;

    @BeforeEach
    void open() throws Exception {
        db = PostgresTestDatabase.fresh();
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void close() throws Exception {
        logger.detachAppender(log);
        nodes.forEach(NodeRegistry::close);
        if (db != null) {
            db.close();
        }
    }

    private NodeRegistry node(String name, String url) {
        NodeRegistry n = NodeRegistry.shared(db, name, url, u -> true);
        nodes.add(n);
        n.join();
        return n;
    }

    private List<String> warnings() {
        return log.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void twoLiveNodesOnOneTunnelUrlAreWarnedOnceAndReportIt() {
        NodeRegistry a = node("host-a/1", SHARED);
        NodeRegistry b = node("host-b/2\nFAKE LINE", SHARED);
        NodeRegistry c = node("host-c/3", OWN);
        a.beat();
        a.beat();
        c.beat();

        assertThat(a.sharingTunnelUrl()).containsExactly(new NodeRegistry.Peer(b.id(), "host-b/2\nFAKE LINE"));
        assertThat(b.sharingTunnelUrl()).extracting(NodeRegistry.Peer::id).containsExactly(a.id());
        assertThat(c.sharingTunnelUrl()).as("a node with its own URL").isEmpty();
        List<String> aboutB = warnings().stream().filter(w -> w.contains(b.id())).toList();
        assertThat(aboutB).as("once, not every beat").hasSize(1);
        assertThat(aboutB.getFirst()).contains("advertise-tunnel-url", "host-b/2?FAKE LINE", SHARED).doesNotContain("\n");
        assertThat(warnings()).as("nothing about node C").noneMatch(w -> w.contains(c.id()));

        // B drains: no longer live, no longer sharing.
        b.leave();
        a.beat();
        assertThat(a.sharingTunnelUrl()).isEmpty();
    }
}
