package dev.drawbridge.model.sso;

import dev.drawbridge.model.tunnel.Frame;
import dev.drawbridge.model.tunnel.FrameCodec;
import dev.drawbridge.model.tunnel.HeaderField;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A group's Kerberos settings on the wire: they round-trip through a CONFIG frame and the codec byte for byte (the
 * keytab's bytes included), an empty CONFIG of the kind is a removal, a frame missing a field or of another kind is
 * refused, and neither the frame's nor the record's text ever shows the keytab.
 */
class KerberosConfigTest {
    private static final byte[] KEYTAB = {5, 2, 0, 0, 0, 0, (byte) 0xff, 42};
    private static final KerberosConfig CONFIG = new KerberosConfig("CORP.EXAMPLE", List.of("dc1.corp.example", "[::1]:88"),
            "HTTP/c.corp.example@CORP.EXAMPLE", KEYTAB);

    @Test
    void roundTripsThroughTheCodec() throws Exception {
        Frame.Config decoded = (Frame.Config) FrameCodec.decode(FrameCodec.encode(CONFIG.toFrame()));
        assertThat(KerberosConfig.from(decoded)).contains(CONFIG);
        assertThat(KerberosConfig.from(decoded).orElseThrow().keytab()).containsExactly(KEYTAB);
        assertThat(KerberosConfig.from(KerberosConfig.removal())).isEmpty();
    }

    @Test
    void incompleteOrForeignFramesAreRefused() {
        for (String missing : List.of("realm", "principal", "keytab")) {
            List<HeaderField> entries = CONFIG.toFrame().entries().stream().filter(e -> !e.name().equals(missing)).toList();
            assertThatThrownBy(() -> KerberosConfig.from(new Frame.Config(KerberosConfig.KIND, entries))).as(missing)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        List<HeaderField> noKdc = CONFIG.toFrame().entries().stream().filter(e -> !e.name().equals("kdc")).toList();
        assertThatThrownBy(() -> KerberosConfig.from(new Frame.Config(KerberosConfig.KIND, noKdc))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KerberosConfig.from(new Frame.Config("sso-keys", List.of()))).isInstanceOf(IllegalArgumentException.class);
        List<HeaderField> badBase64 = CONFIG.toFrame().entries().stream()
                .map(e -> e.name().equals("keytab") ? new HeaderField("keytab", "%%%") : e).toList();
        assertThatThrownBy(() -> KerberosConfig.from(new Frame.Config(KerberosConfig.KIND, badBase64))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theKeytabNeverShowsInText() {
        String b64 = CONFIG.toFrame().entry("keytab").orElseThrow();
        assertThat(CONFIG.toFrame().toString()).doesNotContain(b64).contains("keytab").contains("kerberos");
        assertThat(CONFIG.toString()).doesNotContain(b64).contains("8 bytes");
        assertThat(Optional.of(CONFIG).toString()).doesNotContain(b64);
    }

    @Test
    void theRecordKeepsItsOwnCopyOfTheKeytab() {
        byte[] mine = KEYTAB.clone();
        KerberosConfig c = new KerberosConfig("R", List.of("k"), "p@R", mine);
        mine[0] = 9;
        c.keytab()[1] = 9;
        assertThat(c.keytab()).containsExactly(KEYTAB);
    }
}
