package dev.drawbridge.systemtests.proxy;

import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.hpack.HpackDecoder;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A hand-written HTTP/2 client over TLS, for what a well-behaved client library refuses to send: header fields are
 * written as HPACK literals (no Huffman, no indexing), byte for byte as given (CR, LF, NUL, upper case, pseudo-headers
 * anywhere), frames in any order. Answers are decoded with Jetty's HPACK decoder.
 */
final class RawH2 implements AutoCloseable {
    static final int DATA = 0, HEADERS = 1, RST_STREAM = 3, SETTINGS = 4, PING = 6, GOAWAY = 7, WINDOW_UPDATE = 8;
    static final int END_STREAM = 1, END_HEADERS = 4;

    private final SSLSocket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final HpackDecoder decoder = new HpackDecoder(64 * 1024, System::nanoTime);

    record Frame(int type, int flags, int stream, byte[] payload) {
    }

    /** What came back for one stream. */
    record Answer(int status, boolean reset, int resetCode, boolean goAway, String body) {
    }

    RawH2(SSLContext tls, int port) throws IOException {
        socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port);
        SSLParameters p = socket.getSSLParameters();
        p.setApplicationProtocols(new String[]{"h2"});
        socket.setSSLParameters(p);
        socket.startHandshake();
        if (!"h2".equals(socket.getApplicationProtocol())) {
            throw new IOException("no h2: " + socket.getApplicationProtocol());
        }
        socket.setSoTimeout(20_000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
        out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        frame(SETTINGS, 0, 0, new byte[0]);
        // A large connection window so that answers flow.
        frame(WINDOW_UPDATE, 0, 0, ByteBuffer.allocate(4).putInt(1 << 30).array());
    }

    /** A header block of HPACK literals ("literal without indexing, new name"), fields as name, value pairs. */
    static byte[] block(String... nameValues) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < nameValues.length; i += 2) {
            b.write(0);
            string(b, nameValues[i]);
            string(b, nameValues[i + 1]);
        }
        return b.toByteArray();
    }

    private static void string(ByteArrayOutputStream b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        integer(b, 0, 7, bytes.length);
        b.writeBytes(bytes);
    }

    private static void integer(ByteArrayOutputStream b, int high, int prefix, int value) {
        int max = (1 << prefix) - 1;
        if (value < max) {
            b.write(high | value);
            return;
        }
        b.write(high | max);
        value -= max;
        while (value >= 128) {
            b.write((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        b.write(value);
    }

    synchronized void frame(int type, int flags, int stream, byte[] payload) throws IOException {
        byte[] head = new byte[9];
        head[0] = (byte) (payload.length >>> 16);
        head[1] = (byte) (payload.length >>> 8);
        head[2] = (byte) payload.length;
        head[3] = (byte) type;
        head[4] = (byte) flags;
        ByteBuffer.wrap(head, 5, 4).putInt(stream);
        out.write(head);
        out.write(payload);
        out.flush();
    }

    void headers(int stream, boolean endStream, String... nameValues) throws IOException {
        frame(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), stream, block(nameValues));
    }

    void data(int stream, boolean endStream, byte[] bytes) throws IOException {
        frame(DATA, endStream ? END_STREAM : 0, stream, bytes);
    }

    void reset(int stream) throws IOException {
        frame(RST_STREAM, 0, stream, ByteBuffer.allocate(4).putInt(8).array());
    }

    Frame read() throws IOException {
        int length = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int stream = in.readInt() & 0x7fffffff;
        byte[] payload = new byte[length];
        in.readFully(payload);
        if (type == SETTINGS && (flags & 1) == 0) {
            frame(SETTINGS, 1, 0, new byte[0]);
        }
        if (type == DATA && length > 0) {
            frame(WINDOW_UPDATE, 0, stream, ByteBuffer.allocate(4).putInt(length).array());
        }
        return new Frame(type, flags, stream, payload);
    }

    /** Reads until {@code stream} ends, is reset, or the connection goes away. */
    Answer await(int stream) throws IOException {
        int status = 0;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            while (true) {
                Frame f = read();
                if (f.type == GOAWAY) {
                    return new Answer(status, false, 0, true, body.toString(StandardCharsets.UTF_8));
                }
                if (f.stream != stream) {
                    continue;
                }
                switch (f.type) {
                    case HEADERS -> {
                        MetaData md = decoder.decode(ByteBuffer.wrap(f.payload));
                        if (md instanceof MetaData.Response r) {
                            status = r.getStatus();
                        }
                    }
                    case DATA -> body.writeBytes(f.payload);
                    case RST_STREAM -> {
                        return new Answer(status, true, ByteBuffer.wrap(f.payload).getInt(), false, body.toString(StandardCharsets.UTF_8));
                    }
                    default -> {
                    }
                }
                if ((f.type == HEADERS || f.type == DATA) && (f.flags & END_STREAM) != 0) {
                    return new Answer(status, false, 0, false, body.toString(StandardCharsets.UTF_8));
                }
            }
        } catch (EOFException | SocketTimeoutException e) {
            return new Answer(status, false, 0, true, body.toString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    /** Every frame until the connection closes or {@code millis} pass without one. */
    List<Frame> drain(int millis) throws IOException {
        socket.setSoTimeout(millis);
        List<Frame> frames = new ArrayList<>();
        try {
            while (true) {
                frames.add(read());
            }
        } catch (EOFException | SocketTimeoutException | SSLException e) {
            return frames;
        } catch (IOException e) {
            return frames;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
