package dev.drawbridge.model.tunnel;

import java.nio.ByteBuffer;

/**
 * The connection a tunnel's frames travel on, whatever carries them: a WebSocket (tunnel protocol version 1, one binary
 * message per frame) or the length-prefixed frames of {@code drawbridge-tunnel/2} on the mutual-TLS connection itself
 * (docs/design/tunnel-transport.md). A tunnel end (the proxy's {@code TunnelConnection}, the connector's
 * {@code TunnelClient.Connection}) owns one link and the {@link Multiplexer} over it: frames go out through
 * {@link #write} (as the {@link BoundedFrameSender.Transport} of its sender) and come in through a {@link Receiver}.
 */
public interface TunnelLink extends BoundedFrameSender.Transport {
    /** Why a link is closed. A WebSocket link sends the matching close code; other links only log it. */
    enum CloseReason {
        NORMAL(1000),
        /** Shutting down, heartbeat lost, a write failed: the peer may reconnect at once. */
        GOING_AWAY(1001),
        PROTOCOL(1002),
        BAD_DATA(1007),
        /** Revoked, expired, cut by policy: reconnecting will be refused. */
        POLICY(1008),
        SERVER_ERROR(1011);

        private final int webSocketCode;

        CloseReason(int webSocketCode) {
            this.webSocketCode = webSocketCode;
        }

        /** The WebSocket close status code (RFC 6455 §7.4.1) for this reason. */
        public int webSocketCode() {
            return webSocketCode;
        }
    }

    /** The wire protocol's name, for logs and metrics: {@code websocket} or {@code drawbridge-tunnel/2}. */
    String protocol();

    boolean isOpen();

    /** Closes the link; idempotent. The receiver's {@link Receiver#closed} follows (once). */
    void close(CloseReason reason, String text);

    /**
     * What a link calls, on its transport's thread, in this order: {@link #opened} once, {@link #frame} per inbound frame,
     * {@link #closed} once. None of them may block: a link may read on a selector thread, where blocking stalls every
     * connection of that selector.
     */
    interface Receiver {
        /** The link is up and frames may be written; inbound frames are delivered once this returns. */
        void opened(TunnelLink link);

        /**
         * One inbound frame as {@link FrameCodec} encodes it (no length prefix, no WebSocket header); the buffer is
         * valid only during the call.
         *
         * @throws MalformedFrameException to have the link closed with {@link CloseReason#PROTOCOL}
         */
        void frame(ByteBuffer frame) throws MalformedFrameException;

        /**
         * As {@link #frame(ByteBuffer)}, from a link that can keep the frame's buffer from reuse: {@code retainer} (null
         * when it cannot, e.g. a frame reassembled from pieces) lets the receiver keep a view of the frame past the call
         * ({@link Multiplexer#receive(ByteBuffer, Retainer)}).
         */
        default void frame(ByteBuffer frame, Retainer retainer) throws MalformedFrameException {
            frame(frame);
        }

        /** The link closed, by either side or by a failure; {@code reason} is for logs. */
        void closed(String reason);
    }

    /**
     * Keeps the buffer of the frame being delivered from reuse: each {@link #retain()} returns the release of that one
     * retention, which must run exactly once (later runs do nothing), or null when the link keeps no more buffers now
     * (its cap on pinned memory: the receiver copies instead); only during {@link Receiver#frame(ByteBuffer, Retainer)}.
     */
    @FunctionalInterface
    interface Retainer {
        Runnable retain();
    }
}
