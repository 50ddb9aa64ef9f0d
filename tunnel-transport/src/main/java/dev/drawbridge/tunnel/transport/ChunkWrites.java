package dev.drawbridge.tunnel.transport;

import dev.drawbridge.model.tunnel.StreamChunk;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Blocker;

import java.io.IOException;

/**
 * Writes a {@link dev.drawbridge.model.tunnel.TunnelStream#readChunk() chunk} of a tunnel stream to a Jetty sink (a
 * response to the client, a request body to the app) and releases it once the sink is done with its bytes: a large
 * chunk is a slice of the tunnel's pooled input buffer, which goes back to the pool on release and is refilled with
 * other streams' bytes.
 */
public final class ChunkWrites {
    private ChunkWrites() {
    }

    /**
     * Writes {@code chunk} to {@code sink} (not the last write), blocking until it was written or failed, and releases
     * it, exactly once.
     *
     * @throws IOException when the write failed (the peer went away)
     */
    public static void writeAndRelease(Content.Sink sink, StreamChunk chunk) throws IOException {
        try (Blocker.Callback written = Blocker.callback()) {
            sink.write(false, chunk.buffer(), written);
            written.block();
        } finally {
            chunk.release();
        }
    }
}
