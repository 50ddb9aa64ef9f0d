package dev.drawbridge.model.tunnel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;

/**
 * How a relayed WebSocket session's messages travel as DATA frames of a tunnel stream. Each DATA
 * payload is one fragment: a flags byte (bit 0 = binary, bit 1 = final fragment) then up to
 * {@link FrameCodec#MAX_DATA_PAYLOAD} - 1 bytes, so large messages obey flow control like any body.
 */
public final class WebSocketMessages {
    private static final int BINARY = 1, FIN = 2;
    private static final int FRAGMENT = FrameCodec.MAX_DATA_PAYLOAD - 1;

    /** One whole WebSocket message. */
    public record Message(boolean binary, byte[] payload) {
    }

    private WebSocketMessages() {
    }

    public static void write(TunnelStream stream, boolean binary, byte[] payload) throws IOException {
        int off = 0;
        do {
            int n = Math.min(FRAGMENT, payload.length - off);
            boolean fin = off + n == payload.length;
            byte[] frag = new byte[n + 1];
            frag[0] = (byte) ((binary ? BINARY : 0) | (fin ? FIN : 0));
            System.arraycopy(payload, off, frag, 1, n);
            stream.writeFrame(frag);
            off += n;
        } while (off < payload.length);
    }

    /** The next whole message, or empty when the peer ended the stream. */
    public static Optional<Message> read(TunnelStream stream, int maxMessageSize) throws IOException {
        ByteArrayOutputStream buf = null;
        while (true) {
            byte[] frag = stream.read();
            if (frag == null) {
                return Optional.empty();
            }
            if (frag.length == 0) {
                throw new IOException("empty WebSocket fragment");
            }
            boolean binary = (frag[0] & BINARY) != 0;
            boolean fin = (frag[0] & FIN) != 0;
            if (buf == null && fin) {
                if (frag.length - 1 > maxMessageSize) {
                    throw new IOException("WebSocket message larger than " + maxMessageSize + " bytes");
                }
                return Optional.of(new Message(binary, Arrays.copyOfRange(frag, 1, frag.length)));
            }
            if (buf == null) {
                buf = new ByteArrayOutputStream();
            }
            buf.write(frag, 1, frag.length - 1);
            if (buf.size() > maxMessageSize) {
                throw new IOException("WebSocket message larger than " + maxMessageSize + " bytes");
            }
            if (fin) {
                return Optional.of(new Message(binary, buf.toByteArray()));
            }
        }
    }
}
