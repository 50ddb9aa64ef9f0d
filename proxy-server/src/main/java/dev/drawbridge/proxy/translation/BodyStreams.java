package dev.drawbridge.proxy.translation;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The streams around a body {@link BodyTranslation} relays: the tunnel's stream left open, the compressed bytes counted,
 * the decompressed ones bounded (a decompression bomb fails), and the client's stream compressed again with gzip.
 */
final class BodyStreams {
    private static final int BUFFER = 8192;

    /**
     * A compressed body may come out at most this many times larger than it went in (once past {@link #BOMB_FLOOR}):
     * gzip and deflate cannot exceed about 1032, brotli can reach millions (a "bomb"), real pages stay far below.
     */
    static final int BOMB_RATIO = 1100;
    /** What any compressed body may decompress to, whatever its ratio. */
    static final long BOMB_FLOOR = 16L << 20;
    /** The gzip level a translated body is compressed again with: fast, most of the size saved (see link-translation.md). */
    static final int GZIP_LEVEL = 1;

    private BodyStreams() {
    }

    /** Counts the bytes read (the compressed body's). */
    static final class Counted extends FilterInputStream {
        long count;

        Counted(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count += Math.max(n, 0);
            return n;
        }
    }

    /** Fails a decompressed body that grows past {@link #BOMB_RATIO} times the compressed one (and {@link #BOMB_FLOOR}). */
    static final class BombLimit extends FilterInputStream {
        private final Counted compressed;
        private final int ratio;
        private final long floor;
        private long produced;

        BombLimit(InputStream in, Counted compressed, int ratio, long floor) {
            super(in);
            this.compressed = compressed;
            this.ratio = ratio;
            this.floor = floor;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            produced += Math.max(n, 0);
            if (produced > floor && produced > ratio * Math.max(compressed.count, 1)) {
                throw new IOException("it decompresses to more than " + ratio + " times its size (a decompression bomb?)");
            }
            return n;
        }
    }

    /**
     * The client's stream compressed with gzip, flushed with each piece (so it still streams). On failure the end of the
     * gzip stream is never written (a cut body must not look whole): what is left goes nowhere.
     */
    static final class Recompressed {
        private final Deflated sink;
        private final GZIPOutputStream gzip;

        Recompressed(OutputStream out) throws IOException {
            this.sink = new Deflated(out);
            this.gzip = new GZIPOutputStream(sink, BUFFER, true) {
                {
                    def.setLevel(GZIP_LEVEL);
                }
            };
        }

        OutputStream stream() {
            return gzip;
        }

        void finish() throws IOException {
            gzip.close();
        }

        void abandon() {
            sink.discard = true;
            try {
                gzip.close();
            } catch (IOException e) {
                // Nothing is written any more; the deflater's memory is released.
            }
        }
    }

    /** The client's stream, which closing the gzip stream must not close; after a failure it drops what it is given. */
    static final class Deflated extends FilterOutputStream {
        boolean discard;

        Deflated(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (!discard) {
                out.write(b, off, len);
            }
        }

        @Override
        public void write(int b) throws IOException {
            if (!discard) {
                out.write(b);
            }
        }

        @Override
        public void flush() throws IOException {
            if (!discard) {
                out.flush();
            }
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    /** The tunnel's stream, which the decompressors must not close. */
    static final class Unclosed extends FilterInputStream {
        Unclosed(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // The dispatcher owns the stream.
        }
    }
}
