package dev.drawbridge.connector.sso.kerberos;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The connector's Kerberos settings: every field checked, all problems named at once, nothing that could break out of
 * a krb5.conf line or block (newlines, braces, '=' in a realm, a host or a principal), the keytab a keytab and never
 * shown.
 */
class KerberosSettingsTest {
    static final byte[] KEYTAB = {5, 2, 0, 0, 0, 0};
    static final List<KerberosSettings.Kdc> KDC = List.of(new KerberosSettings.Kdc("kdc.corp.example.com", 88));

    @Test
    void goodSettingsAreKeptAsGiven() {
        KerberosSettings s = new KerberosSettings("CORP.EXAMPLE.COM", KDC, "HTTP/connector.corp.example.com", KEYTAB);
        assertThat(s.qualifiedServicePrincipal()).isEqualTo("HTTP/connector.corp.example.com@CORP.EXAMPLE.COM");
        assertThat(s.kdcTimeout()).isEqualTo(KerberosSettings.DEFAULT_KDC_TIMEOUT);
        assertThat(new KerberosSettings("CORP.EXAMPLE.COM", KDC, "svc-drawbridge@CORP.EXAMPLE.COM", KEYTAB).qualifiedServicePrincipal())
                .isEqualTo("svc-drawbridge@CORP.EXAMPLE.COM");
        assertThat(new KerberosSettings("CORP", KDC, "DRAWBRIDGE$", KEYTAB).qualifiedServicePrincipal()).isEqualTo("DRAWBRIDGE$@CORP");
        assertThat(s.exchangeTimeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void theKeytabIsCopiedAndNeverShown() {
        byte[] keytab = KEYTAB.clone();
        KerberosSettings s = new KerberosSettings("CORP", KDC, "HTTP/c", keytab);
        keytab[2] = 9;
        assertThat(s.keytab()).containsExactly(KEYTAB);
        s.keytab()[3] = 9;
        assertThat(s.keytab()).containsExactly(KEYTAB);
        assertThat(s.toString()).contains("6 bytes").doesNotContain("[5, 2");
        KerberosSettings same = new KerberosSettings("CORP", KDC, "HTTP/c", KEYTAB.clone());
        assertThat(s).isEqualTo(same).hasSameHashCodeAs(same);
    }

    @Test
    void everyProblemIsNamedAtOnce() {
        assertThatThrownBy(() -> new KerberosSettings("corp.example.com", List.of(), "HTTP/c@OTHER", new byte[] {1, 2, 3}, Duration.ofMillis(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("realm 'corp.example.com'").hasMessageContaining("upper case")
                .hasMessageContaining("kdcs: name one KDC")
                .hasMessageContaining("service principal 'HTTP/c@OTHER'")
                .hasMessageContaining("keytab is not a keytab file")
                .hasMessageContaining("KDC timeout PT0.005S");
    }

    @Test
    void nothingBreaksOutOfTheKrb5Conf() {
        for (String realm : List.of("CORP\n[realms]", "CORP}", "CORP = {", "CORP ", "", ".CORP", "CORP..COM", "CORP/X", "CORP@X")) {
            assertThatThrownBy(() -> new KerberosSettings(realm, KDC, "HTTP/c", KEYTAB)).as("realm %s", realm).hasMessageContaining("realm");
        }
        for (String host : List.of("kdc\n", "kdc}", "kdc = x", "kdc x", "", "-kdc", "::1", "[::1\n]", "kdc:88")) {
            assertThatThrownBy(() -> new KerberosSettings.Kdc(host, 88)).as("host %s", host).hasMessageContaining("KDC host");
        }
        for (String principal : List.of("HTTP/c\n", "HTTP/c}", "HTTP/c d", "HTTP/a/b", "HTTP/", "/c", "", "HTTP\\/c", "HTTP/c@CORP@CORP", "HTTP/c@corp")) {
            assertThatThrownBy(() -> new KerberosSettings("CORP", KDC, principal, KEYTAB)).as("principal %s", principal)
                    .hasMessageContaining("service principal");
        }
    }

    @Test
    void kdcAddressesParseWithAndWithoutPort() {
        assertThat(KerberosSettings.Kdc.parse("kdc.corp")).isEqualTo(new KerberosSettings.Kdc("kdc.corp", 88));
        assertThat(KerberosSettings.Kdc.parse("kdc.corp:750")).isEqualTo(new KerberosSettings.Kdc("kdc.corp", 750));
        assertThat(KerberosSettings.Kdc.parse("10.0.0.5:88")).isEqualTo(new KerberosSettings.Kdc("10.0.0.5", 88));
        assertThat(KerberosSettings.Kdc.parse("[2001:db8::5]")).isEqualTo(new KerberosSettings.Kdc("[2001:db8::5]", 88));
        assertThat(KerberosSettings.Kdc.parse("[2001:db8::5]:8888")).isEqualTo(new KerberosSettings.Kdc("[2001:db8::5]", 8888));
        assertThat(KerberosSettings.Kdc.parse("kdc.corp:750").toString()).isEqualTo("kdc.corp:750");
        for (String bad : List.of("kdc:", "kdc:x", "kdc:0", "kdc:70000", "2001:db8::5", "kdc:88:88")) {
            assertThatThrownBy(() -> KerberosSettings.Kdc.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void limitsHold() {
        List<KerberosSettings.Kdc> many = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            many.add(new KerberosSettings.Kdc("kdc" + i, 88));
        }
        assertThatThrownBy(() -> new KerberosSettings("CORP", many, "HTTP/c", KEYTAB)).hasMessageContaining("more than 16");
        byte[] huge = new byte[KerberosSettings.MAX_KEYTAB_BYTES + 1];
        huge[0] = 5;
        huge[1] = 2;
        assertThatThrownBy(() -> new KerberosSettings("CORP", KDC, "HTTP/c", huge)).hasMessageContaining("more than a keytab needs");
        assertThatThrownBy(() -> new KerberosSettings("CORP", KDC, "HTTP/c", new byte[0])).hasMessageContaining("keytab is empty");
        assertThatThrownBy(() -> new KerberosSettings("CORP", KDC, "HTTP/c", KEYTAB, Duration.ofMinutes(2))).hasMessageContaining("KDC timeout");
        assertThat(new KerberosSettings("CORP", KDC, "HTTP/c", KEYTAB, Duration.ofMillis(100)).kdcTimeout()).isEqualTo(Duration.ofMillis(100));
    }
}
