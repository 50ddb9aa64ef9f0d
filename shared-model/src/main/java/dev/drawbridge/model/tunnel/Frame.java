package dev.drawbridge.model.tunnel;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One message of the tunnel protocol. Every frame travels as one binary WebSocket message on a
 * tunnel connection opened by the connector; {@link FrameCodec} defines the byte layout
 * (documented in docs/tunnel.md). Stream 0 carries connection-level frames (ping, pong, go-away).
 */
public sealed interface Frame permits Frame.Open, Frame.Head, Frame.Data, Frame.End, Frame.Reset,
        Frame.Window, Frame.Ping, Frame.Pong, Frame.GoAway, Frame.Whole, Frame.Config,
        Frame.Trailers {

    /** The stream this frame belongs to; 0 for connection-level frames. */
    int streamId();

    /** Proxy → connector: open a stream carrying one request (or one WebSocket session). */
    record Open(int streamId, RequestHead head) implements Frame {
        public Open {
            requireStream(streamId);
            Objects.requireNonNull(head, "head");
        }
    }

    /** Connector → proxy: the upstream's response status and headers. */
    record Head(int streamId, ResponseHead head) implements Frame {
        public Head {
            requireStream(streamId);
            Objects.requireNonNull(head, "head");
        }
    }

    /**
     * Connector → proxy: a whole small response in one frame, the same as HEAD + DATA + END (saves
     * two frames, and their writes, for the common small answer). The body counts against the window.
     */
    record Whole(int streamId, ResponseHead head, byte[] body) implements Frame {
        public Whole {
            requireStream(streamId);
            Objects.requireNonNull(head, "head");
            Objects.requireNonNull(body, "body");
        }
    }

    /** Body bytes in either direction; counts against the receiver's flow-control window. */
    record Data(int streamId, byte[] bytes) implements Frame {
        public Data {
            requireStream(streamId);
            Objects.requireNonNull(bytes, "bytes");
        }
    }

    /** The sender will send no more data on this stream (half-close). */
    record End(int streamId) implements Frame {
        public End {
            requireStream(streamId);
        }
    }

    /**
     * The sender's trailer fields, ending its half of the stream as {@link End} does (an HTTP message's trailers, e.g.
     * gRPC's {@code grpc-status}). Sent only to a peer that announced {@link TunnelFeatures#TRAILERS}: an older one closes
     * the tunnel on an unknown frame type.
     */
    record Trailers(int streamId, List<HeaderField> headers) implements Frame {
        public Trailers {
            requireStream(streamId);
            headers = List.copyOf(headers);
        }
    }

    /** Abort the stream in both directions, with a reason. */
    record Reset(int streamId, ResetCode code, String message) implements Frame {
        public Reset {
            requireStream(streamId);
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }

    /** The receiver consumed {@code increment} bytes: the sender may send that many more. */
    record Window(int streamId, int increment) implements Frame {
        public Window {
            requireStream(streamId);
            if (increment <= 0) {
                throw new IllegalArgumentException("window increment must be positive: " + increment);
            }
        }
    }

    /** Heartbeat request; the peer answers with {@link Pong} carrying the same payload. */
    record Ping(long payload) implements Frame {
        @Override
        public int streamId() {
            return 0;
        }
    }

    /** Heartbeat answer. */
    record Pong(long payload) implements Frame {
        @Override
        public int streamId() {
            return 0;
        }
    }

    /** Connector → proxy: draining; open no new streams here, in-flight ones will finish. */
    record GoAway(String reason) implements Frame {
        public GoAway {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public int streamId() {
            return 0;
        }
    }

    /**
     * Proxy → connector, on stream 0: configuration of one {@code kind} as name/value entries (the first kind,
     * {@code sso-keys}, carries the keys that sign users' identities and this tunnel's id). Sent only to connectors that
     * announced they read it on their tunnel upgrade: an older connector closes the tunnel on an unknown frame type.
     */
    record Config(String kind, List<HeaderField> entries) implements Frame {
        public Config {
            Objects.requireNonNull(kind, "kind");
            if (kind.isEmpty()) {
                throw new IllegalArgumentException("config kind must not be empty");
            }
            entries = List.copyOf(entries);
        }

        @Override
        public int streamId() {
            return 0;
        }

        /** The value of the first entry named {@code name}. */
        public Optional<String> entry(String name) {
            return entries.stream().filter(e -> e.name().equals(name)).map(HeaderField::value).findFirst();
        }

        /** Names only: values may be secrets (a keytab). */
        @Override
        public String toString() {
            return "Config[" + kind + ", " + entries.stream().map(HeaderField::name).toList() + "]";
        }
    }

    private static void requireStream(int streamId) {
        if (streamId <= 0) {
            throw new IllegalArgumentException("stream id must be positive: " + streamId);
        }
    }
}
