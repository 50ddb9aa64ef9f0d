package dev.drawbridge.proxy.pki;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A raw TLS client that sends one ClientHello and reads only what the server answers first, as scanners (testssl,
 * sslyze) do: a ServerHello (or TLS 1.3 HelloRetryRequest, which has the same form) means the server accepted the
 * offer; an alert or a closed connection means it refused. Unlike a JSSE client it can offer anything, whatever this
 * JVM's own {@code jdk.tls.disabledAlgorithms} allow, so what is tested is the server's choice alone.
 */
final class TlsProbe {
    static final int TLS10 = 0x0301, TLS11 = 0x0302, TLS12 = 0x0303, TLS13 = 0x0304, SSL3 = 0x0300;

    /** IANA code points of every suite the JDK knows (supported or disabled by default), plus classic weak ones. */
    static final Map<String, Integer> SUITES = Map.ofEntries(
            Map.entry("TLS_AES_128_GCM_SHA256", 0x1301),
            Map.entry("TLS_AES_256_GCM_SHA384", 0x1302),
            Map.entry("TLS_CHACHA20_POLY1305_SHA256", 0x1303),
            Map.entry("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", 0xC02B),
            Map.entry("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", 0xC02C),
            Map.entry("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 0xC02F),
            Map.entry("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", 0xC030),
            Map.entry("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", 0xCCA9),
            Map.entry("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", 0xCCA8),
            Map.entry("TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", 0xCCAA),
            Map.entry("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", 0x009E),
            Map.entry("TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", 0x009F),
            Map.entry("TLS_DHE_DSS_WITH_AES_128_GCM_SHA256", 0x00A2),
            Map.entry("TLS_DHE_DSS_WITH_AES_256_GCM_SHA384", 0x00A3),
            Map.entry("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", 0xC023),
            Map.entry("TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", 0xC024),
            Map.entry("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", 0xC027),
            Map.entry("TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", 0xC028),
            Map.entry("TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", 0x0067),
            Map.entry("TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", 0x006B),
            Map.entry("TLS_DHE_DSS_WITH_AES_128_CBC_SHA256", 0x0040),
            Map.entry("TLS_DHE_DSS_WITH_AES_256_CBC_SHA256", 0x006A),
            Map.entry("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", 0xC009),
            Map.entry("TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", 0xC00A),
            Map.entry("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", 0xC013),
            Map.entry("TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", 0xC014),
            Map.entry("TLS_DHE_RSA_WITH_AES_128_CBC_SHA", 0x0033),
            Map.entry("TLS_DHE_RSA_WITH_AES_256_CBC_SHA", 0x0039),
            Map.entry("TLS_DHE_DSS_WITH_AES_128_CBC_SHA", 0x0032),
            Map.entry("TLS_DHE_DSS_WITH_AES_256_CBC_SHA", 0x0038),
            Map.entry("TLS_RSA_WITH_AES_128_GCM_SHA256", 0x009C),
            Map.entry("TLS_RSA_WITH_AES_256_GCM_SHA384", 0x009D),
            Map.entry("TLS_RSA_WITH_AES_128_CBC_SHA256", 0x003C),
            Map.entry("TLS_RSA_WITH_AES_256_CBC_SHA256", 0x003D),
            Map.entry("TLS_RSA_WITH_AES_128_CBC_SHA", 0x002F),
            Map.entry("TLS_RSA_WITH_AES_256_CBC_SHA", 0x0035),
            Map.entry("TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256", 0xC02D),
            Map.entry("TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256", 0xC031),
            Map.entry("TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA", 0xC004),
            Map.entry("TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA", 0xC008),
            Map.entry("SSL_RSA_WITH_3DES_EDE_CBC_SHA", 0x000A),
            Map.entry("TLS_ECDHE_ECDSA_WITH_RC4_128_SHA", 0xC007),
            Map.entry("SSL_RSA_WITH_RC4_128_SHA", 0x0005),
            Map.entry("TLS_ECDHE_ECDSA_WITH_NULL_SHA", 0xC006),
            Map.entry("TLS_RSA_WITH_NULL_SHA256", 0x003B),
            Map.entry("TLS_ECDH_anon_WITH_AES_128_CBC_SHA", 0xC018),
            Map.entry("TLS_DH_anon_WITH_AES_128_GCM_SHA256", 0x00A6));

    /** IANA code points of named groups. */
    static final Map<String, Integer> GROUPS = Map.of("x25519", 0x001D, "secp256r1", 0x0017, "secp384r1", 0x0018,
            "secp521r1", 0x0019, "x448", 0x001E, "ffdhe2048", 0x0100, "ffdhe3072", 0x0101, "ffdhe4096", 0x0102,
            "ffdhe6144", 0x0103, "ffdhe8192", 0x0104);

    private static final int[] SIGNATURE_SCHEMES = {0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501,
            0x0601, 0x0203, 0x0201};
    private static final SecureRandom RANDOM = new SecureRandom();

    private TlsProbe() {
    }

    /** What the server chose: the cipher suite, and the key-exchange group where the answer names one. */
    record Choice(int suite, Optional<Integer> group) {
    }

    /**
     * What the server chose for one ClientHello.
     *
     * @param version TLS 1.2 and below: the ClientHello's version; TLS 1.3: {@link #TLS13} (legacy version 1.2 and a
     *                supported_versions extension naming only 1.3, with an empty key_share so that an accepting
     *                server answers with a HelloRetryRequest naming the group it wants)
     * @param groups  the supported_groups extension, in the client's order of preference
     * @return the server's choice (the group from the HelloRetryRequest in TLS 1.3, from the ServerKeyExchange of an
     *         ECDHE suite in TLS 1.2), or empty when the server refused
     */
    static Optional<Choice> hello(InetSocketAddress server, String sni, int version, List<Integer> suites, List<Integer> groups)
            throws IOException {
        byte[] record = clientHello(sni, version, suites, groups);
        try (Socket s = new Socket()) {
            s.connect(server, 5_000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(record);
            out.flush();
            Handshake in = new Handshake(new DataInputStream(s.getInputStream()));
            byte[] hello = in.next(0x02);
            if (hello == null) {
                return Optional.empty();
            }
            // ServerHello: version(2) random(32) session_id(1 + n) cipher_suite(2) compression(1) extensions(2 + n)
            ByteBuffer b = ByteBuffer.wrap(hello);
            b.position(2 + 32);
            b.position(b.position() + 1 + (b.get() & 0xFF));
            int suite = b.getShort() & 0xFFFF;
            b.get();
            Optional<Integer> group = Optional.empty();
            if (b.remaining() >= 2) {
                int end = (b.getShort() & 0xFFFF) + b.position();
                while (b.position() + 4 <= end) {
                    int type = b.getShort() & 0xFFFF, length = b.getShort() & 0xFFFF;
                    if (type == 0x0033 && length >= 2) {
                        group = Optional.of(b.getShort(b.position()) & 0xFFFF);
                    }
                    b.position(b.position() + length);
                }
            }
            if (version != TLS13 && suite >= 0xC000) {
                byte[] keyExchange = in.next(0x0C);
                if (keyExchange != null && keyExchange.length >= 3 && keyExchange[0] == 3) {
                    group = Optional.of(((keyExchange[1] & 0xFF) << 8) | (keyExchange[2] & 0xFF));
                }
            }
            return Optional.of(new Choice(suite, group));
        } catch (EOFException | SocketException e) {
            return Optional.empty();
        }
    }

    /** Handshake messages read across records; an alert or anything else ends them. */
    private static final class Handshake {
        private final DataInputStream in;
        private ByteBuffer pending = ByteBuffer.allocate(0);

        Handshake(DataInputStream in) {
            this.in = in;
        }

        /** The body of the next message of {@code type}, skipping others; null if the server sent something else. */
        byte[] next(int type) throws IOException {
            for (int messages = 0; messages < 8; messages++) {
                if (!fill(4)) {
                    return null;
                }
                int t = pending.get() & 0xFF;
                int length = ((pending.get() & 0xFF) << 16) | ((pending.get() & 0xFF) << 8) | (pending.get() & 0xFF);
                if (!fill(length)) {
                    return null;
                }
                byte[] body = new byte[length];
                pending.get(body);
                if (t == type) {
                    return body;
                }
            }
            return null;
        }

        private boolean fill(int n) throws IOException {
            while (pending.remaining() < n) {
                int recordType = in.readUnsignedByte();
                in.readUnsignedShort();
                byte[] body = new byte[in.readUnsignedShort()];
                in.readFully(body);
                if (recordType != 0x16) {
                    return false;
                }
                ByteBuffer joined = ByteBuffer.allocate(pending.remaining() + body.length);
                joined.put(pending).put(body).flip();
                pending = joined;
            }
            return true;
        }
    }

    private static byte[] clientHello(String sni, int version, List<Integer> suites, List<Integer> groups) {
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        byte[] host = sni.getBytes(StandardCharsets.US_ASCII);
        extension(ext, 0x0000, u16(host.length + 3), new byte[]{0}, u16(host.length), host);
        extension(ext, 0x000A, u16(groups.size() * 2), u16s(groups));
        extension(ext, 0x000B, new byte[]{1, 0});
        List<Integer> schemes = Arrays.stream(SIGNATURE_SCHEMES).boxed().toList();
        extension(ext, 0x000D, u16(schemes.size() * 2), u16s(schemes));
        if (version == TLS13) {
            extension(ext, 0x002B, new byte[]{2, 0x03, 0x04});
            extension(ext, 0x0033, u16(0));
        }
        byte[] extensions = ext.toByteArray();

        ByteArrayOutputStream hello = new ByteArrayOutputStream();
        write(hello, u16(version == TLS13 ? TLS12 : version));
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        write(hello, random);
        byte[] sessionId = new byte[32];
        RANDOM.nextBytes(sessionId);
        hello.write(sessionId.length);
        write(hello, sessionId);
        write(hello, u16(suites.size() * 2));
        write(hello, u16s(suites));
        write(hello, new byte[]{1, 0});
        write(hello, u16(extensions.length));
        write(hello, extensions);
        byte[] h = hello.toByteArray();

        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.write(0x16);
        write(record, u16(TLS10));
        write(record, u16(h.length + 4));
        record.write(0x01);
        write(record, new byte[]{(byte) (h.length >> 16), (byte) (h.length >> 8), (byte) h.length});
        write(record, h);
        return record.toByteArray();
    }

    private static void extension(ByteArrayOutputStream out, int type, byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        write(out, u16(type));
        write(out, u16(length));
        for (byte[] p : parts) {
            write(out, p);
        }
    }

    private static byte[] u16(int v) {
        return new byte[]{(byte) (v >> 8), (byte) v};
    }

    private static byte[] u16s(List<Integer> values) {
        byte[] b = new byte[values.size() * 2];
        for (int i = 0; i < values.size(); i++) {
            b[2 * i] = (byte) (values.get(i) >> 8);
            b[2 * i + 1] = (byte) (int) values.get(i);
        }
        return b;
    }

    private static void write(ByteArrayOutputStream out, byte[] b) {
        out.write(b, 0, b.length);
    }
}
