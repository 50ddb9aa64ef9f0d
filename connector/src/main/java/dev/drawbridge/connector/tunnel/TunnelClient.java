package dev.drawbridge.connector.tunnel;

import dev.drawbridge.connector.http.RequestContext;
import dev.drawbridge.connector.identity.EndpointLookup;
import dev.drawbridge.connector.sso.IdentityVerifier;
import dev.drawbridge.connector.sso.Verification;
import dev.drawbridge.model.sso.SsoKeys;
import dev.drawbridge.model.sso.SsoWire;
import dev.drawbridge.model.tunnel.BoundedFrameSender;
import dev.drawbridge.model.tunnel.FlowControl;
import dev.drawbridge.model.tunnel.Frame;
import dev.drawbridge.model.tunnel.MalformedFrameException;
import dev.drawbridge.model.tunnel.Multiplexer;
import dev.drawbridge.model.tunnel.ResetCode;
import dev.drawbridge.model.tunnel.TunnelFeatures;
import dev.drawbridge.model.tunnel.TunnelLink;
import dev.drawbridge.model.tunnel.TunnelStream;
import dev.drawbridge.tunnel.transport.WebSocketLink;
import org.eclipse.jetty.http.HttpFields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * One tunnel connection, kept up for the connector's lifetime: connects to the server
 * ({@code connectorToProxy}, outbound only), serves the streams the proxy opens, pings every
 * heartbeat and drops a silent connection, and reconnects with jittered exponential backoff
 * (reset after a minute of stable connection). A refused certificate is permanent: it stops.
 *
 * <p>When the server retires the connection (GOAWAY: its stream ids are running out), a replacement is opened at
 * once while the old connection goes on serving its streams, supervised on its own, until the server closes it.
 */
public final class TunnelClient {
    private static final Logger LOG = LoggerFactory.getLogger(TunnelClient.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** How long a dial (TCP, TLS, the upgrade) may take before it is given up and its link, should it open later, closed. */
    static final Duration DIAL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STABLE = Duration.ofMinutes(1);
    /** Retired connections still draining beyond which a new retirement waits for the usual backoff. */
    private static final int MAX_RETIRING = 4;

    private final int index;
    /** Opens this tunnel's links (WebSocket, or the transport {@link TransportChoice} picks). */
    private final LinkDialer dialer;
    private final TunnelAddress address;
    private final String version;
    private final Duration heartbeat;
    /** Runs on the tunnel's reader thread for each stream the proxy opens: hands blocking work off, never blocks. */
    private final StreamHandler streamHandler;
    /**
     * Whether the tunnel upgrade announces {@link SsoWire#FEATURE} and {@link TunnelFeatures#TRAILERS} (false only to act
     * as an older connector in tests).
     */
    private final boolean announceSso;
    private final Clock clock;
    private final Consumer<String> permanentFailure;
    private volatile boolean running = true;
    private volatile Connection current;
    /** Connections the server retired that still serve their streams. */
    private final Set<Connection> retiring = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> firstConnect = new CompletableFuture<>();
    /** Counted down by {@link #stopReconnecting()}: wakes a tunnel backing off. */
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** A dial is in progress (the connection it may open is not yet {@link #current}). */
    private volatile boolean dialing;
    private Thread loop;
    private volatile Observer observer = Observer.NONE;

    /**
     * What a tunnel tells the connector's metrics and access log. Called on the tunnel's threads (the reader's, a
     * writer's, the connect loop's): record and return, never block.
     */
    public interface Observer {
        Observer NONE = new Observer() {
        };

        /** A connection is up; {@code reconnect} when this tunnel had been connected before. */
        default void connected(boolean reconnect) {
        }

        /** Dialling the server failed (it will be retried). */
        default void connectFailed() {
        }

        /** A frame of {@code bytes} went to the server (its link adds its own framing). */
        default void bytesToServer(int bytes) {
        }

        /** A frame of {@code bytes} came from the server. */
        default void bytesFromServer(int bytes) {
        }

        /** A stream is done ({@link Multiplexer.Lifecycle#streamClosed}). */
        default void streamClosed(TunnelStream stream) {
        }

        /** This observer, then {@code next}. */
        default Observer andThen(Observer next) {
            Observer first = this;
            return new Observer() {
                @Override
                public void connected(boolean reconnect) {
                    first.connected(reconnect);
                    next.connected(reconnect);
                }

                @Override
                public void connectFailed() {
                    first.connectFailed();
                    next.connectFailed();
                }

                @Override
                public void bytesToServer(int bytes) {
                    first.bytesToServer(bytes);
                    next.bytesToServer(bytes);
                }

                @Override
                public void bytesFromServer(int bytes) {
                    first.bytesFromServer(bytes);
                    next.bytesFromServer(bytes);
                }

                @Override
                public void streamClosed(TunnelStream stream) {
                    first.streamClosed(stream);
                    next.streamClosed(stream);
                }
            };
        }
    }

    /** Where this tunnel reports to (set before {@link #start()}). */
    public void observe(Observer o) {
        this.observer = o;
    }

    /** Serves one stream the proxy opened, with what is known of its user. Runs on the tunnel's reader thread: never blocks. */
    @FunctionalInterface
    public interface StreamHandler {
        void serve(TunnelStream stream, Verification user);

        /**
         * The proxy sent its group's configuration (a CONFIG of a kind other than {@code sso-keys}, e.g. Kerberos
         * settings); every tunnel of the connector gets it. On the tunnel's reader thread: hand blocking work off.
         */
        default void configured(Frame.Config config) {
        }
    }

    /**
     * @param announceSso whether to announce that this connector reads signed identities ({@link SsoWire#FEATURE}); the
     *                    proxy then sends this tunnel the keys (CONFIG) and each stream of a pre-authenticated app its
     *                    user's identity, verified here before the stream is served
     */
    private volatile FlowControl flowControl = FlowControl.DEFAULT;
    private volatile Duration dialTimeout = DIAL_TIMEOUT;

    public TunnelClient(int index, LinkDialer dialer, TunnelAddress address, String version, Duration heartbeat,
                        StreamHandler streamHandler, Consumer<String> permanentFailure, boolean announceSso, Clock clock) {
        this.announceSso = announceSso;
        this.clock = clock;
        this.index = index;
        this.dialer = dialer;
        this.address = address;
        this.version = version;
        this.heartbeat = heartbeat;
        this.streamHandler = streamHandler;
        this.permanentFailure = permanentFailure;
    }

    /**
     * How far the receive windows of this tunnel's streams may grow ({@link FlowControl#DEFAULT} unless set); for the
     * connections opened after, so set it before {@link #start()}.
     */
    public void flowControl(FlowControl flowControl) {
        this.flowControl = Objects.requireNonNull(flowControl, "flowControl");
    }

    /** Another dial timeout than {@link #DIAL_TIMEOUT} (tests); before {@link #start()}. */
    void dialTimeout(Duration timeout) {
        this.dialTimeout = timeout;
    }

    public void start() {
        loop = Thread.ofVirtual().name("tunnel-" + index).start(this::connectLoop);
    }

    /** Completes when the first connection is up. */
    public CompletableFuture<Void> connected() {
        return firstConnect;
    }

    /**
     * Whether this tunnel's connect-and-supervise loop ended although nobody stopped it (a bug or an error escaped it):
     * the tunnel will never reconnect. A loop stopped on purpose (draining, refused for good) does not count.
     */
    public boolean loopDied() {
        Thread l = loop;
        return running && l != null && !l.isAlive();
    }

    public boolean isConnected() {
        Connection c = current;
        return c != null && c.mux.isOpen();
    }

    public int activeStreams() {
        Connection c = current;
        return (c == null ? 0 : c.mux.activeStreams()) + retiring.stream().mapToInt(r -> r.mux.activeStreams()).sum();
    }

    private void connectLoop() {
        long backoffMs = 250;
        boolean everConnected = false;
        while (running) {
            Connection c = new Connection();
            long startedAt = System.nanoTime();
            boolean retired = false;
            URI tunnelUrl = address.current();
            boolean failed = true;
            CompletableFuture<LinkDialer.Dialed> dial = null;
            try {
                HttpFields.Mutable headers = HttpFields.build();
                headers.put("X-Drawbridge-Connector-Version", version);
                headers.put("X-Drawbridge-Connector-Host", hostName());
                if (announceSso) {
                    // What this connector reads; the server answers with what it reads (TunnelFeatures). Without it, the
                    // connector acts as one older than both features (for tests).
                    headers.put(TunnelFeatures.HEADER, SsoWire.FEATURE + ", " + TunnelFeatures.TRAILERS + ", " + TunnelFeatures.NODES);
                }
                dialing = true;
                dial = dialer.dial(tunnelUrl, headers.asImmutable(), c);
                LinkDialer.Dialed dialed = dial.get(dialTimeout.toMillis(), TimeUnit.MILLISECONDS);
                c.answered(dialed.answer());
                failed = false;
                current = c;
                dialing = false;
                observer.connected(everConnected);
                everConnected = true;
                firstConnect.complete(null);
                LOG.info("tunnel {} connected to {} ({})", index, tunnelUrl, dialed.link().protocol());
                retired = c.superviseUntilClosed(true);
            } catch (ExecutionException e) {
                if (isPermanent(e.getCause())) {
                    String why = "the server refused this connector's certificate (it was revoked, it expired, or the connector was "
                            + "removed after 10 days offline): register again with a new token from 'drawbridge tokens create'";
                    LOG.error("tunnel {}: {} ({})", index, why, e.getCause().getMessage());
                    running = false;
                    failed = false;
                    firstConnect.completeExceptionally(new ConnectorRefusedException(why));
                    permanentFailure.accept(why);
                    return;
                }
                LOG.warn("tunnel {} cannot connect to {} ({}); retrying", index, tunnelUrl, explain(e.getCause()));
            } catch (TimeoutException e) {
                LOG.warn("tunnel {}: connecting to {} timed out", index, tunnelUrl);
                c.giveUp(dial, "dial timed out");
            } catch (InterruptedException e) {
                c.giveUp(dial, "connector stopping");
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("tunnel {} failed: {}", index, e.toString());
            } finally {
                if (retired) {
                    drainRetired(c);
                } else {
                    c.mux.close("tunnel closed");
                }
                current = null;
                dialing = false;
            }
            if (failed && running) {
                observer.connectFailed();
                // The server may have moved its tunnel listener: ask it (rate-limited, shared by all tunnels).
                address.unreachable(tunnelUrl);
            }
            if (!running) {
                return;
            }
            if (retired && retiring.size() <= MAX_RETIRING) {
                // Replace it now: the old connection keeps serving what it has until the server closes it.
                continue;
            }
            if (System.nanoTime() - startedAt > STABLE.toNanos()) {
                backoffMs = 250;
            }
            long sleep = ThreadLocalRandom.current().nextLong(backoffMs / 2, backoffMs + 1);
            backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF.toMillis());
            try {
                if (stopped.await(sleep, TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Keeps a retired connection supervised (pings, heartbeat loss) on its own thread until it closes. */
    private void drainRetired(Connection c) {
        LOG.info("tunnel {}: the server retired this connection ({} streams in flight); opening a replacement", index,
                c.mux.activeStreams());
        retiring.add(c);
        Thread.ofVirtual().name("tunnel-" + index + "-retired").start(() -> {
            try {
                c.superviseUntilClosed(false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                c.mux.close("tunnel retired");
                retiring.remove(c);
            }
        });
    }

    static boolean isPermanent(Throwable t) {
        if (t instanceof DialRefusedException r && r.isPermanent()) {
            return true;
        }
        // A TLS alert about our certificate (bad_certificate, certificate_revoked, certificate_expired, ...).
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SSLException && c.getMessage() != null && c.getMessage().toLowerCase().contains("certificate")
                    && !c.getMessage().toLowerCase().contains("pkix")) {
                return true;
            }
        }
        return false;
    }

    /** A connect failure in one sentence; a certificate of another CA says what usually causes it. */
    private static String explain(Throwable t) {
        String root = rootMessage(t);
        if (EndpointLookup.untrusted(t)) {
            return "the server presents a certificate of another CA than the one this connector registered with "
                    + "(reinstalled server, or something in between): if the server was reinstalled, register again";
        }
        return root;
    }

    private static String rootMessage(Throwable t) {
        return EndpointLookup.root(t);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * Graceful drain: tell the server to open no new streams here, wait (up to {@code timeout})
     * for in-flight streams to finish, then close.
     */
    public void drainAndStop(Duration timeout) {
        running = false;
        List<Connection> open = new ArrayList<>(retiring);
        Connection c = current;
        if (c != null) {
            open.add(c);
        }
        for (Connection o : open) {
            try {
                o.mux.goAway("connector stopping");
            } catch (IOException ignored) {
                // already closing
            }
        }
        int inFlight = open.stream().mapToInt(o -> o.mux.activeStreams()).sum();
        if (inFlight > 0) {
            LOG.info("tunnel {}: draining, {} stream(s) in flight", index, inFlight);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (open.stream().anyMatch(o -> o.mux.activeStreams() > 0) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                break;
            }
        }
        for (Connection o : open) {
            o.close(TunnelLink.CloseReason.NORMAL, "connector stopping");
        }
        if (loop != null) {
            loop.interrupt();
        }
    }

    /**
     * The node this tunnel dials left the cluster's list: no redial from now on. The connection, if any, goes on serving
     * what the node sends until the node, draining, closes it; then this tunnel ends, quietly.
     */
    public void stopReconnecting() {
        running = false;
        // Never an interrupt: one sent while a dial completes (the link open, the server already counting the tunnel, the
        // loop not yet holding the connection) ended the loop and left that link open with nobody serving it. A tunnel
        // backing off wakes up and ends; a dial in progress finishes (within its timeout), and a connection it opens serves
        // what the node sends until the node closes it, like one opened before.
        stopped.countDown();
    }

    /**
     * Whether this tunnel still holds a connection (a node that left may still be finishing requests on it), or is still
     * dialling one.
     */
    public boolean isOpen() {
        Connection c = current;
        return c != null && c.mux.isOpen() || !retiring.isEmpty() || dialing;
    }

    /** Closes at once, streams fail (used by tests to simulate a crash). */
    public void abort() {
        running = false;
        Connection c = current;
        if (c != null) {
            c.abort("connector killed");
        }
        for (Connection r : retiring) {
            r.abort("connector killed");
        }
        if (loop != null) {
            loop.interrupt();
        }
    }

    /** One tunnel link and its multiplexer: the link's {@link TunnelLink.Receiver}. */
    public final class Connection implements LinkDialer.AnswerReceiver {
        final Multiplexer mux = new Multiplexer(new BoundedFrameSender(this::write, BoundedFrameSender.DEFAULT_BUDGET,
                failure -> close(TunnelLink.CloseReason.GOING_AWAY, "tunnel write failed")),
                s -> {
                    // The proxy's request id in the log context for what is done here, on the reader's thread.
                    try (RequestContext.Scope ignored = RequestContext.enter(s.request())) {
                        streamHandler.serve(s, verify(s));
                    } catch (RuntimeException e) {
                        LOG.warn("tunnel {}: stream {} failed to start: {}", index, s.id(), e.toString());
                        s.reset(ResetCode.UPSTREAM_ERROR, "the connector failed to start the request");
                    }
                },
                Thread::startVirtualThread, Multiplexer.LAST_STREAM_ID, new Multiplexer.Lifecycle() {
                    @Override
                    public void peerGoingAway(String reason) {
                        retired.complete(reason);
                    }

                    @Override
                    public void config(Frame.Config config) {
                        configured(config);
                    }

                    @Override
                    public void streamClosed(TunnelStream stream) {
                        observer.streamClosed(stream);
                    }
                }, flowControl);
        /** Verifies identities on this connection, once the proxy sent its keys (CONFIG {@code sso-keys}). */
        private volatile IdentityVerifier verifier;
        private final CompletableFuture<Void> closed = new CompletableFuture<>();
        /** Completes when the server sends GOAWAY: it retires this connection and wants a replacement. */
        private final CompletableFuture<String> retired = new CompletableFuture<>();
        volatile TunnelLink link;
        /** Why its dial was given up: a link that opens after that is closed at once, never left to the idle timeout. */
        private volatile String givenUp;

        private void configured(Frame.Config config) {
            if (!announceSso) {
                LOG.debug("tunnel {}: ignoring CONFIG {}", index, config.kind());
                return;
            }
            if (!SsoKeys.KIND.equals(config.kind())) {
                streamHandler.configured(config);
                return;
            }
            try {
                SsoKeys keys = SsoKeys.from(config).orElseThrow(() -> new IllegalArgumentException("incomplete sso-keys"));
                verifier = new IdentityVerifier(keys, clock);
                LOG.debug("tunnel {}: single sign-on keys received", index);
            } catch (IllegalArgumentException e) {
                verifier = null;
                LOG.warn("tunnel {}: the server's single sign-on keys are not usable ({}); identities on this tunnel are refused",
                        index, e.getMessage());
            }
        }

        /** The user of a stream the proxy opened: verified against this connection's keys, absent, or refused. */
        private Verification verify(TunnelStream s) {
            IdentityVerifier v = verifier;
            if (s.request().identity().isEmpty()) {
                return Verification.ABSENT;
            }
            if (v == null) {
                return new Verification.Refused("no single sign-on keys on this tunnel");
            }
            Verification result = v.verify(s.request(), s.id());
            if (result instanceof Verification.Refused r) {
                LOG.warn("tunnel {}: stream {} for app {}: identity refused: {}", index, s.id(), s.request().appId(), r.reason());
            }
            return result;
        }

        @Override
        public void answered(HttpFields answer) {
            // Trailers go to a server that announced it reads them; to an older one, streams end with END.
            mux.peerReadsTrailers(announceSso && TunnelFeatures.announces(answer.get(TunnelFeatures.HEADER), TunnelFeatures.TRAILERS));
        }

        @Override
        public void opened(TunnelLink l) {
            link = l;
            String why = givenUp;
            if (why != null) {
                l.close(TunnelLink.CloseReason.GOING_AWAY, why);
            }
        }

        /**
         * The dial took too long (or the connector stops): a link it opens later is closed as soon as it opens. Before, it
         * stayed open with nobody reading it: the server counted a tunnel and sent it requests until its idle timeout.
         */
        void giveUp(CompletableFuture<LinkDialer.Dialed> dial, String why) {
            givenUp = why;
            TunnelLink l = link;
            if (l != null) {
                l.close(TunnelLink.CloseReason.GOING_AWAY, why);
            }
            if (dial != null) {
                // Aborts the dial where the dialer's future passes a cancel on (Jetty's upgrade does); a link that opens anyway
                // is closed by opened().
                dial.cancel(false);
            }
        }

        @Override
        public void frame(ByteBuffer frame) throws MalformedFrameException {
            frame(frame, null);
        }

        @Override
        public void frame(ByteBuffer frame, TunnelLink.Retainer retainer) throws MalformedFrameException {
            observer.bytesFromServer(frame.remaining());
            try {
                // A large DATA payload stays in the link's buffer until the request body's writer is done with it (no copy).
                mux.receive(frame, retainer);
            } catch (MalformedFrameException e) {
                LOG.warn("tunnel {}: malformed frame from server ({}); reconnecting", index, e.getMessage());
                close(TunnelLink.CloseReason.PROTOCOL, "malformed frame");
                throw e;
            }
        }

        @Override
        public void closed(String reason) {
            mux.close("closed by server (" + reason + ")");
            if (running) {
                TunnelLink l = link;
                LOG.info("tunnel {} closed ({}: {})", index, l == null ? "" : l.protocol(), reason);
            }
            closed.complete(null);
        }

        void close(TunnelLink.CloseReason reason, String text) {
            TunnelLink l = link;
            if (l != null) {
                l.close(reason, text);
            }
            mux.close(text);
            closed.complete(null);
        }

        /** Drops the link at once, without a goodbye (a silent server, a simulated crash). */
        void abort(String why) {
            TunnelLink l = link;
            if (l != null) {
                WebSocketLink.abort(l, why);
            }
        }

        /**
         * Pings every heartbeat; closes when three heartbeats pass without a pong. Returns when the connection closed
         * (false) or, if {@code untilRetired}, as soon as the server retired it (true).
         */
        boolean superviseUntilClosed(boolean untilRetired) throws InterruptedException {
            CompletableFuture<?> done = untilRetired ? CompletableFuture.anyOf(closed, retired) : closed;
            while (!closed.isDone()) {
                if (untilRetired && retired.isDone()) {
                    return true;
                }
                try {
                    done.get(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (mux.nanosSinceLastPong() > heartbeat.multipliedBy(3).toNanos()) {
                        LOG.warn("tunnel {}: server missed heartbeats; reconnecting", index);
                        abort("heartbeat timeout");
                        close(TunnelLink.CloseReason.GOING_AWAY, "heartbeat timeout");
                        return false;
                    }
                    try {
                        mux.ping();
                    } catch (IOException ex) {
                        close(TunnelLink.CloseReason.GOING_AWAY, "ping failed");
                        return false;
                    }
                } catch (ExecutionException e) {
                    return false;
                }
            }
            return false;
        }

        private void write(ByteBuffer buf, Runnable written, Consumer<Throwable> failed) throws IOException {
            TunnelLink l = link;
            if (l == null || !l.isOpen()) {
                throw new IOException("tunnel closed");
            }
            observer.bytesToServer(buf.remaining());
            l.write(buf, written, failed);
        }

        @Override
        public String toString() {
            return "tunnel " + index;
        }
    }
}
