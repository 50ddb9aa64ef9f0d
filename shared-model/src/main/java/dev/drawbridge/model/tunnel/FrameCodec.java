package dev.drawbridge.model.tunnel;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Encodes and decodes {@link Frame}s. Layout of one frame (all integers big-endian):
 * <pre>
 *   u8  type     1=OPEN 2=HEAD 3=DATA 4=END 5=RESET 6=WINDOW 7=PING 8=PONG 9=GOAWAY 10=WHOLE 11=CONFIG
 *                12=TRAILERS
 *   u32 streamId 0 for PING, PONG, GOAWAY, CONFIG
 *   ... payload by type:
 *   OPEN   str appId, str method, str upstreamUri, u32 timeoutMillis, u8 flags (bit0 websocket, bit1 body follows,
 *          bit2 identity follows, bit3 sso follows), headers, [str identity if bit2], [str sso if bit3]
 *   HEAD   u16 status, headers
 *   DATA   the remaining bytes
 *   END    nothing
 *   RESET  u8 code, str message
 *   WINDOW u32 increment
 *   PING/PONG u64 payload
 *   GOAWAY str reason
 *   WHOLE  u16 status, headers, then the remaining bytes are the whole body (= HEAD + DATA + END)
 *   CONFIG str kind, headers (name/value entries)
 *   TRAILERS headers (the sender's trailer fields; ends its half of the stream like END)
 *   str     = u32 length + UTF-8 bytes; headers = u16 count + (str name, str value) * count
 * </pre>
 * Decoding never trusts a length: a frame that does not fit is a {@link MalformedFrameException}.
 */
public final class FrameCodec {
    /** Largest DATA payload a sender puts in one frame. */
    public static final int MAX_DATA_PAYLOAD = 64 * 1024;
    /** Largest encoded frame accepted (heads can be large: 64 KiB of headers plus a long URI). */
    public static final int MAX_FRAME_SIZE = 256 * 1024;

    /** Type bytes; package-private for {@link LengthPrefixedFrames#kindOf}. */
    static final byte OPEN = 1, HEAD = 2, DATA = 3, END = 4, RESET = 5, WINDOW = 6, PING = 7, PONG = 8, GOAWAY = 9, WHOLE = 10, CONFIG = 11,
            TRAILERS = 12;
    /** Bytes before a DATA frame's payload: the type and the stream id. */
    static final int DATA_HEADER = 5;
    private static final int FLAG_WEBSOCKET = 1, FLAG_BODY = 2, FLAG_IDENTITY = 4, FLAG_SSO = 8;
    private static final int MAX_HEADERS = 1000;

    private FrameCodec() {
    }

    public static ByteBuffer encode(Frame frame) {
        return switch (frame) {
            case Frame.Data d -> encodeData(d.streamId(), d.bytes(), 0, d.bytes().length);
            case Frame.Window w -> ByteBuffer.allocate(9).put(WINDOW).putInt(w.streamId()).putInt(w.increment()).flip();
            case Frame.End e -> ByteBuffer.allocate(5).put(END).putInt(e.streamId()).flip();
            case Frame.Ping p -> ByteBuffer.allocate(13).put(PING).putInt(0).putLong(p.payload()).flip();
            case Frame.Pong p -> ByteBuffer.allocate(13).put(PONG).putInt(0).putLong(p.payload()).flip();
            case Frame.Open o -> {
                RequestHead h = o.head();
                Writer w = new Writer(OPEN, o.streamId(), 32 + h.appId().length() + h.method().length() + h.upstreamUri().length()
                        + sizeOf(h.headers()) + h.identity().map(String::length).orElse(0) + h.sso().map(s -> 3 * s.length()).orElse(0));
                w.str(h.appId()).str(h.method()).str(h.upstreamUri());
                w.u32((int) Math.min(Integer.MAX_VALUE, h.timeout().toMillis()));
                w.u8((h.websocket() ? FLAG_WEBSOCKET : 0) | (h.body() ? FLAG_BODY : 0) | (h.identity().isPresent() ? FLAG_IDENTITY : 0)
                        | (h.sso().isPresent() ? FLAG_SSO : 0));
                w.headers(h.headers());
                h.identity().ifPresent(w::str);
                h.sso().ifPresent(w::str);
                yield w.done();
            }
            case Frame.Head hd -> {
                Writer w = new Writer(HEAD, hd.streamId(), 16 + sizeOf(hd.head().headers()));
                w.u16(hd.head().status());
                w.headers(hd.head().headers());
                yield w.done();
            }
            case Frame.Reset r -> new Writer(RESET, r.streamId(), 16 + r.message().length()).u8(r.code().code()).str(r.message()).done();
            case Frame.Whole wh -> {
                Writer w = new Writer(WHOLE, wh.streamId(), 16 + sizeOf(wh.head().headers()) + wh.body().length);
                w.u16(wh.head().status());
                w.headers(wh.head().headers());
                w.bytes(wh.body());
                yield w.done();
            }
            case Frame.GoAway g -> new Writer(GOAWAY, 0, 16 + g.reason().length()).str(g.reason()).done();
            case Frame.Trailers t -> new Writer(TRAILERS, t.streamId(), 8 + sizeOf(t.headers())).headers(t.headers()).done();
            case Frame.Config c -> new Writer(CONFIG, 0, 16 + c.kind().length() + sizeOf(c.entries())).str(c.kind()).headers(c.entries()).done();
        };
    }

    /** The encoding of {@code new Frame.Data(streamId, bytes off..off+len)}, copying the bytes once. */
    public static ByteBuffer encodeData(int streamId, byte[] b, int off, int len) {
        ByteBuffer out = ByteBuffer.allocate(5 + len);
        putData(out, streamId, b, off, len);
        return out.flip();
    }

    /** Writes the DATA frame of {@code len} bytes of {@code b} from {@code off} into {@code out} (5 + len bytes). */
    static void putData(ByteBuffer out, int streamId, byte[] b, int off, int len) {
        if (streamId <= 0) {
            throw new IllegalArgumentException("stream id must be positive: " + streamId);
        }
        Objects.checkFromIndexSize(off, len, b.length);
        out.put(DATA).putInt(streamId).put(b, off, len);
    }

    public static Frame decode(ByteBuffer in) throws MalformedFrameException {
        if (in.remaining() > MAX_FRAME_SIZE) {
            throw new MalformedFrameException("frame of " + in.remaining() + " bytes exceeds " + MAX_FRAME_SIZE);
        }
        try {
            byte type = in.get();
            int stream = in.getInt();
            Frame f = switch (type) {
                case DATA -> {
                    byte[] bytes = new byte[in.remaining()];
                    in.get(bytes);
                    yield new Frame.Data(stream, bytes);
                }
                case WINDOW -> new Frame.Window(stream, in.getInt());
                case END -> new Frame.End(stream);
                case PING -> new Frame.Ping(in.getLong());
                case PONG -> new Frame.Pong(in.getLong());
                case OPEN -> {
                    String appId = str(in), method = str(in), uri = str(in);
                    long timeout = Integer.toUnsignedLong(in.getInt());
                    int flags = in.get();
                    List<HeaderField> headers = headers(in);
                    Optional<String> identity = (flags & FLAG_IDENTITY) != 0 ? Optional.of(str(in)) : Optional.empty();
                    Optional<String> sso = (flags & FLAG_SSO) != 0 ? Optional.of(str(in)) : Optional.empty();
                    yield new Frame.Open(stream, new RequestHead(appId, method, uri, headers, Duration.ofMillis(timeout),
                            (flags & FLAG_WEBSOCKET) != 0, (flags & FLAG_BODY) != 0, identity, sso));
                }
                case HEAD -> {
                    int status = Short.toUnsignedInt(in.getShort());
                    yield new Frame.Head(stream, new ResponseHead(status, headers(in)));
                }
                case RESET -> new Frame.Reset(stream, ResetCode.fromCode(Byte.toUnsignedInt(in.get())), str(in));
                case WHOLE -> {
                    int status = Short.toUnsignedInt(in.getShort());
                    List<HeaderField> headers = headers(in);
                    byte[] body = new byte[in.remaining()];
                    in.get(body);
                    yield new Frame.Whole(stream, new ResponseHead(status, headers), body);
                }
                case GOAWAY -> new Frame.GoAway(str(in));
                case TRAILERS -> new Frame.Trailers(stream, headers(in));
                case CONFIG -> {
                    if (stream != 0) {
                        throw new MalformedFrameException("CONFIG on stream " + stream);
                    }
                    yield new Frame.Config(str(in), headers(in));
                }
                default -> throw new MalformedFrameException("unknown frame type " + type);
            };
            if (in.hasRemaining()) {
                throw new MalformedFrameException("trailing bytes after frame type " + type);
            }
            return f;
        } catch (BufferUnderflowException e) {
            throw new MalformedFrameException("truncated frame");
        } catch (IllegalArgumentException e) {
            throw new MalformedFrameException("invalid frame: " + e.getMessage());
        }
    }

    private static String str(ByteBuffer in) throws MalformedFrameException {
        int len = in.getInt();
        if (len < 0 || len > in.remaining()) {
            throw new MalformedFrameException("string length " + len + " exceeds frame");
        }
        byte[] b = new byte[len];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static List<HeaderField> headers(ByteBuffer in) throws MalformedFrameException {
        int count = Short.toUnsignedInt(in.getShort());
        if (count > MAX_HEADERS) {
            throw new MalformedFrameException("too many headers: " + count);
        }
        List<HeaderField> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(new HeaderField(str(in), str(in)));
        }
        return list;
    }

    /** Encoded size of a header list when every character takes one byte. */
    private static int sizeOf(List<HeaderField> headers) {
        int n = 2;
        for (HeaderField h : headers) {
            n += 8 + h.name().length() + h.value().length();
        }
        return n;
    }

    /** Growable writer for the variable-size frames (heads, resets). */
    private static final class Writer {
        private ByteBuffer buf;

        /** @param sizeHint the expected encoded size (exact for ASCII text; the buffer grows if it is short) */
        Writer(byte type, int stream, int sizeHint) {
            buf = ByteBuffer.allocate(Math.max(16, sizeHint));
            buf.put(type).putInt(stream);
        }

        private void ensure(int n) {
            if (buf.remaining() < n) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n));
                buf.flip();
                bigger.put(buf);
                buf = bigger;
            }
        }

        Writer u8(int v) {
            ensure(1);
            buf.put((byte) v);
            return this;
        }

        Writer u16(int v) {
            ensure(2);
            buf.putShort((short) v);
            return this;
        }

        Writer u32(int v) {
            ensure(4);
            buf.putInt(v);
            return this;
        }

        Writer str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            ensure(4 + b.length);
            buf.putInt(b.length).put(b);
            return this;
        }

        Writer bytes(byte[] b) {
            ensure(b.length);
            buf.put(b);
            return this;
        }

        Writer headers(List<HeaderField> headers) {
            if (headers.size() > MAX_HEADERS) {
                throw new IllegalArgumentException("too many headers: " + headers.size());
            }
            u16(headers.size());
            for (HeaderField h : headers) {
                str(h.name()).str(h.value());
            }
            return this;
        }

        ByteBuffer done() {
            return buf.flip();
        }
    }
}
