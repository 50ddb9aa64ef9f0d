package dev.drawbridge.model.tunnel;

import java.io.IOException;
import java.io.InputStream;

/** Reading body bytes into DATA-frame-sized chunks without adding latency. */
public final class BodyChunks {
    private BodyChunks() {
    }

    /**
     * Reads into {@code buf[off, off + len)}: blocks only for the first read (like {@link InputStream#read(byte[], int, int)}),
     * then tops the chunk up while {@link InputStream#available()} says more bytes are already there. It never waits for
     * more, so a trickle (SSE, chunked progress output) goes out as soon as it arrives, while a burst goes out as one
     * large chunk: one DATA frame, one WebSocket frame, one TLS record run instead of several.
     *
     * @return the number of bytes read, or -1 at the end of the stream
     */
    public static int readAvailable(InputStream in, byte[] buf, int off, int len) throws IOException {
        int n = in.read(buf, off, len);
        if (n <= 0) {
            return n;
        }
        while (n < len) {
            int available = in.available();
            if (available <= 0) {
                break;
            }
            int r = in.read(buf, off + n, Math.min(available, len - n));
            if (r <= 0) {
                break; // end of stream: the next call reports it
            }
            n += r;
        }
        return n;
    }
}
