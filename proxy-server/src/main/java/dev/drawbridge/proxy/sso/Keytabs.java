package dev.drawbridge.proxy.sso;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads which principals an MIT keytab file (format 0x0501 or 0x0502, as {@code ktutil}, {@code kadmin} and Active
 * Directory's {@code ktpass} write it) holds keys for, without ever keeping a key: so the admin API can check that an
 * uploaded keytab is one for the connectors' principal and show what it holds.
 */
public final class Keytabs {
    private Keytabs() {
    }

    /** Thrown for bytes that are not a keytab. */
    public static final class NotAKeytabException extends Exception {
        NotAKeytabException(String message) {
            super(message);
        }
    }

    /** The distinct principals ({@code name/instance@REALM}) with keys in the keytab, in file order. */
    public static List<String> principals(byte[] keytab) throws NotAKeytabException {
        ByteBuffer in = ByteBuffer.wrap(keytab);
        try {
            if (in.get() != 5) {
                throw new NotAKeytabException("not a keytab file (it does not start with 0x05)");
            }
            int version = in.get();
            if (version != 1 && version != 2) {
                throw new NotAKeytabException("unsupported keytab version " + version);
            }
            Set<String> out = new LinkedHashSet<>();
            while (in.remaining() >= 4) {
                int size = in.getInt();
                if (size == 0) {
                    break;
                }
                if (size < 0) {
                    // A hole left by a deleted entry.
                    skip(in, -size);
                    continue;
                }
                ByteBuffer entry = in.slice(in.position(), size);
                skip(in, size);
                int components = Short.toUnsignedInt(entry.getShort());
                if (version == 1) {
                    components--;
                }
                String realm = text(entry);
                List<String> names = new ArrayList<>();
                for (int i = 0; i < components; i++) {
                    names.add(text(entry));
                }
                if (names.isEmpty()) {
                    throw new NotAKeytabException("a keytab entry has no principal name");
                }
                out.add(String.join("/", names) + "@" + realm);
            }
            return List.copyOf(out);
        } catch (BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new NotAKeytabException("the keytab file is truncated or malformed");
        }
    }

    private static String text(ByteBuffer in) {
        int n = Short.toUnsignedInt(in.getShort());
        byte[] b = new byte[n];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static void skip(ByteBuffer in, int n) {
        in.position(in.position() + n);
    }
}
