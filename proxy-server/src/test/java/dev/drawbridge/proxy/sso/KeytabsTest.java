package dev.drawbridge.proxy.sso;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Reading the principals of an MIT keytab: version 2 (and 1, whose component count includes the realm), several
 * enctypes of one principal listed once, holes left by deleted entries skipped; anything else (another file, a
 * truncated keytab, an entry that claims more bytes than there are) is "not a keytab", never an exception of another kind.
 */
class KeytabsTest {
    /** A keytab entry as kadmin writes it (keys are random filler: only names matter here). */
    static byte[] entry(int version, String realm, List<String> names, int enctype) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeShort(version == 1 ? names.size() + 1 : names.size());
        text(d, realm);
        for (String n : names) {
            text(d, n);
        }
        if (version == 2) {
            d.writeInt(1);
        }
        d.writeInt(1_700_000_000);
        d.writeByte(3);
        d.writeShort(enctype);
        d.writeShort(16);
        d.write(new byte[16]);
        d.writeInt(3);
        return b.toByteArray();
    }

    private static void text(DataOutputStream d, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        d.writeShort(b.length);
        d.write(b);
    }

    /** A keytab of these entries; a negative number in {@code holes} puts a hole of that many bytes first. */
    static byte[] keytab(int version, int hole, byte[]... entries) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeByte(5);
        d.writeByte(version);
        if (hole > 0) {
            d.writeInt(-hole);
            d.write(new byte[hole]);
        }
        for (byte[] e : entries) {
            d.writeInt(e.length);
            d.write(e);
        }
        return b.toByteArray();
    }

    @Test
    void listsEachPrincipalOnceInFileOrder() throws Exception {
        byte[] kt = keytab(2, 12, entry(2, "CORP.EXAMPLE", List.of("HTTP", "connector.corp.example"), 18),
                entry(2, "CORP.EXAMPLE", List.of("HTTP", "connector.corp.example"), 17),
                entry(2, "CORP.EXAMPLE", List.of("svc-drawbridge"), 18));
        assertThat(Keytabs.principals(kt)).containsExactly("HTTP/connector.corp.example@CORP.EXAMPLE", "svc-drawbridge@CORP.EXAMPLE");
    }

    @Test
    void readsVersionOneToo() throws Exception {
        byte[] kt = keytab(1, 0, entry(1, "R", List.of("host", "h.example"), 23));
        assertThat(Keytabs.principals(kt)).containsExactly("host/h.example@R");
    }

    @Test
    void everythingElseIsNotAKeytab() throws Exception {
        byte[] good = keytab(2, 0, entry(2, "R", List.of("HTTP", "h"), 18));
        for (byte[] bad : List.of(new byte[0], new byte[]{5}, new byte[]{4, 2}, new byte[]{5, 3}, "hello world".getBytes(StandardCharsets.UTF_8),
                Arrays.copyOf(good, good.length - 20), Arrays.copyOf(good, 7))) {
            assertThatThrownBy(() -> Keytabs.principals(bad)).isInstanceOf(Keytabs.NotAKeytabException.class);
        }
        byte[] lying = good.clone();
        lying[5] = (byte) 0x7f;
        assertThatThrownBy(() -> Keytabs.principals(lying)).isInstanceOf(Keytabs.NotAKeytabException.class);
    }
}
