package dev.drawbridge.tunnel.transport;

import dev.drawbridge.model.tunnel.StreamChunk;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;

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
     * it, exactly once, when the sink is done with its bytes: from the write's callback, not after the wait, so that a
     * writer interrupted while the sink still holds the bytes does not hand their buffer back to the pool early.
     *
     * @throws IOException when the write failed (the peer went away), or the wait was interrupted
     */
    public static void writeAndRelease(Content.Sink sink, StreamChunk chunk) throws IOException {
        Blocker.Callback written = Blocker.callback();
        Callback releasing = new Callback() {
            @Override
            public void succeeded() {
                chunk.release();
                written.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                chunk.release();
                written.failed(x);
            }

            @Override
            public InvocationType getInvocationType() {
                return InvocationType.NON_BLOCKING;
            }
        };
        try {
            sink.write(false, chunk.buffer(), releasing);
        } catch (RuntimeException | Error e) {
            // The sink refused the write outright: it keeps nothing.
            chunk.release();
            throw e;
        }
        written.block();
    }
}
