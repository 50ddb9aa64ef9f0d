package dev.drawbridge.connector.upstream;

import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.io.Content;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An {@link InputStreamResponseListener} whose stream answers {@link InputStream#available()}: the body bytes Jetty has
 * already handed over and the reader has not consumed yet (Jetty's own stream always answers 0). This lets
 * {@link dev.drawbridge.model.tunnel.BodyChunks#readAvailable} fill a DATA frame from several ~10 KiB chunks without
 * ever waiting for one.
 */
final class CountingResponseListener extends InputStreamResponseListener {
    private final AtomicLong arrived = new AtomicLong();
    private final AtomicLong consumed = new AtomicLong();

    @Override
    public void onContent(Response response, Content.Chunk chunk, Runnable demander) {
        // Counted before the chunk is queued, so available() never reports less than a read can return at once.
        arrived.addAndGet(chunk.remaining());
        super.onContent(response, chunk, demander);
    }

    @Override
    public InputStream getInputStream() {
        return new FilterInputStream(super.getInputStream()) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    consumed.incrementAndGet();
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n > 0) {
                    consumed.addAndGet(n);
                }
                return n;
            }

            @Override
            public int available() {
                return (int) Math.min(Integer.MAX_VALUE, Math.max(0, arrived.get() - consumed.get()));
            }
        };
    }
}
