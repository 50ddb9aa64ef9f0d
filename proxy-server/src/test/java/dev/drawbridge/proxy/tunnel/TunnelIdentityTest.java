package dev.drawbridge.proxy.tunnel;

import dev.drawbridge.model.sso.SsoKeys;
import dev.drawbridge.model.tunnel.Frame;
import dev.drawbridge.model.tunnel.FrameCodec;
import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.TunnelStream;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.tunnel.transport.WebSocketLink;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's end of the identity protocol on one tunnel: a connector that announced {@code sso1} gets CONFIG
 * {@code sso-keys} (this tunnel's id, the public keys) before anything else, and the requests of signed-in users an
 * identity signed for this tunnel's id and the stream's id; a connector that did not gets neither, and the signer is
 * never asked; an identity that cannot be signed or is too long for an OPEN is left out rather than failing the request.
 */
class TunnelIdentityTest {
    private static final String JWKS = "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"k\",\"x\":\"x\",\"y\":\"y\"}]}";
    private static final RequestHead HEAD = new RequestHead("app-1", "GET", "http://intranet/", List.of(), Duration.ofSeconds(5), false, false);

    @TempDir
    Path dir;
    private Database db;
    private ConnectorRegistry registry;
    private String group;
    private final List<Frame> sent = new CopyOnWriteArrayList<>();

    /** Connector c1 registered with certificate 01: a tunnel is judged in the store when it joins. */
    @BeforeEach
    void open() {
        db = Database.h2(dir);
        ConnectorStore store = new ConnectorStore(db);
        group = store.ensureDefaultGroup(Instant.now()).id();
        store.insertConnector(new ConnectorStore.Connector("c1", group, "host", "1", "01", Instant.now().plusSeconds(3600), Instant.now(),
                Optional.empty(), Optional.empty()));
        registry = new ConnectorRegistry(store, Clock.systemUTC(), Duration.ofHours(1));
    }

    @AfterEach
    void close() throws Exception {
        registry.close();
        db.close();
    }

    /** A WebSocket session that records the frames written to it. */
    private Session session() {
        return (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[]{Session.class}, (p, m, args) -> {
            switch (m.getName()) {
                case "sendBinary" -> {
                    sent.add(FrameCodec.decode((ByteBuffer) args[0]));
                    ((Callback) args[1]).succeed();
                    return null;
                }
                case "isOpen" -> {
                    return true;
                }
                case "hashCode" -> {
                    return System.identityHashCode(p);
                }
                case "equals" -> {
                    return p == args[0];
                }
                default -> {
                    return null;
                }
            }
        });
    }

    private TunnelConnection tunnel(boolean readsIdentities) {
        registry.ssoKeys(JWKS);
        TunnelConnection t = registry.newTunnel("c1", group, "01", Instant.now().plusSeconds(3600), readsIdentities);
        new WebSocketLink(t).onWebSocketOpen(session());
        // The keys go out and the tunnel joins the registry on a virtual thread of their own (TunnelConnection.opened):
        // once it is judged there, requests may use it, and the keys were sent.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!t.isAvailable()) {
            assertThat(System.nanoTime()).as("the tunnel registered within 10 s").isLessThan(deadline);
            Thread.yield();
        }
        return t;
    }

    @Test
    void aCapableTunnelGetsTheKeysFirstThenIdentitiesBoundToItsIdAndTheStream() throws Exception {
        TunnelConnection t = tunnel(true);
        assertThat(t.readsIdentities()).isTrue();
        assertThat(sent).hasSize(1);
        SsoKeys keys = SsoKeys.from((Frame.Config) sent.getFirst()).orElseThrow();
        assertThat(keys).isEqualTo(new SsoKeys(t.tunnelId(), JWKS));

        TunnelStream first = t.open(HEAD, (tunnelId, streamId) -> "signed:" + tunnelId + "/" + streamId);
        TunnelStream second = t.open(HEAD, (tunnelId, streamId) -> "signed:" + tunnelId + "/" + streamId);
        TunnelStream anonymous = t.open(HEAD, null);
        assertThat(sent.subList(1, 4)).containsExactly(
                new Frame.Open(first.id(), HEAD.withIdentity("signed:" + t.tunnelId() + "/" + first.id())),
                new Frame.Open(second.id(), HEAD.withIdentity("signed:" + t.tunnelId() + "/" + second.id())),
                new Frame.Open(anonymous.id(), HEAD));
    }

    @Test
    void eachConnectionHasItsOwnTunnelId() {
        assertThat(tunnel(true).tunnelId()).isNotEqualTo(tunnel(true).tunnelId());
    }

    @Test
    void aTunnelThatDidNotAnnounceGetsNoKeysNoIdentitiesAndTheSignerIsNeverAsked() throws Exception {
        TunnelConnection t = tunnel(false);
        AtomicInteger asked = new AtomicInteger();
        TunnelStream s = t.open(HEAD, (tunnelId, streamId) -> {
            asked.incrementAndGet();
            return "signed";
        });
        assertThat(t.readsIdentities()).isFalse();
        assertThat(sent).containsExactly(new Frame.Open(s.id(), HEAD));
        assertThat(asked).hasValue(0);
    }

    @Test
    void withoutKeysOnTheServerACapableTunnelGetsNeither() throws Exception {
        TunnelConnection t = registry.newTunnel("c1", group, "01", Instant.now().plusSeconds(3600), true);
        new WebSocketLink(t).onWebSocketOpen(session());
        TunnelStream s = t.open(HEAD, (tunnelId, streamId) -> "signed");
        assertThat(sent).containsExactly(new Frame.Open(s.id(), HEAD));
    }

    @Test
    void anIdentityTooLongOrUnsignableIsLeftOutAndTheRequestStillGoes() throws Exception {
        TunnelConnection t = tunnel(true);
        TunnelStream huge = t.open(HEAD, (tunnelId, streamId) -> "x".repeat(RequestHead.MAX_IDENTITY + 1));
        TunnelStream failing = t.open(HEAD, (tunnelId, streamId) -> {
            throw new IllegalStateException("cannot sign");
        });
        TunnelStream fits = t.open(HEAD, (tunnelId, streamId) -> "x".repeat(RequestHead.MAX_IDENTITY));
        assertThat(sent.subList(1, 4)).containsExactly(new Frame.Open(huge.id(), HEAD), new Frame.Open(failing.id(), HEAD),
                new Frame.Open(fits.id(), HEAD.withIdentity("x".repeat(RequestHead.MAX_IDENTITY))));
    }

    @Test
    void aRotatedKeySetReachesEveryCapableTunnelBeforeTheIdentitiesOpenedAfterIt() throws Exception {
        TunnelConnection capable = tunnel(true);
        int before = sent.size();
        String rotated = "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"k2\",\"x\":\"x\",\"y\":\"y\"}]}";
        registry.ssoKeys(rotated);
        TunnelStream s = capable.open(HEAD, (tunnelId, streamId) -> "signed:" + tunnelId + "/" + streamId);
        assertThat(sent.subList(before, sent.size())).containsExactly(new SsoKeys(capable.tunnelId(), rotated).toFrame(),
                new Frame.Open(s.id(), HEAD.withIdentity("signed:" + capable.tunnelId() + "/" + s.id())));
        // The same set again is not sent again.
        registry.ssoKeys(rotated);
        assertThat(sent).hasSize(before + 2);
    }

    @Test
    void aTunnelThatDoesNotReadIdentitiesIsNeverToldOfARotation() {
        tunnel(false);
        registry.ssoKeys("{\"keys\":[]}");
        assertThat(sent).isEmpty();
    }
}
