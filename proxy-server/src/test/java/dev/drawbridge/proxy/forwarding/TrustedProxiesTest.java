package dev.drawbridge.proxy.forwarding;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Proves {@link TrustedProxies}: an untrusted peer is the client whatever it sends; from a trusted peer the client
 * is the rightmost X-Forwarded-For entry that is not trusted (forged entries to its left change nothing); an entry
 * that is not an address stops the walk at the last trusted hop; addresses are parsed strictly; ranges are
 * validated with sentences an operator can act on.
 */
class TrustedProxiesTest {
    private static final TrustedProxies LB = TrustedProxies.of(List.of("127.0.0.2", "10.0.0.0/8", "2001:db8:1::/48"));

    private static InetAddress ip(String s) {
        return InetAddress.ofLiteral(s);
    }

    @Test
    void withoutTrustedProxiesThePeerIsTheClient() {
        assertThat(TrustedProxies.none().isEmpty()).isTrue();
        assertThat(TrustedProxies.of(List.of())).isSameAs(TrustedProxies.none());
        assertThat(TrustedProxies.none().client(ip("127.0.0.1"), List.of("203.0.113.7"))).isEqualTo(ip("127.0.0.1"));
    }

    @Test
    void anUntrustedPeerIsTheClientWhateverItForwards() {
        assertThat(LB.client(ip("198.51.100.9"), List.of("203.0.113.7", "10.0.0.1"))).isEqualTo(ip("198.51.100.9"));
        assertThat(LB.client(ip("127.0.0.1"), List.of("203.0.113.7"))).isEqualTo(ip("127.0.0.1"));
    }

    @ParameterizedTest(name = "{0} via {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "203.0.113.7 | 127.0.0.2 | 203.0.113.7",
            "198.51.100.1, 203.0.113.7 | 127.0.0.2 | 203.0.113.7",
            "203.0.113.7, 198.51.100.1 | 127.0.0.2 | 198.51.100.1",
            "198.51.100.1, 203.0.113.7, 10.1.2.3 | 127.0.0.2 | 203.0.113.7",
            "10.0.0.5, 10.0.0.6 | 127.0.0.2 | 10.0.0.5",
            "'' | 127.0.0.2 | 127.0.0.2",
            "unknown | 127.0.0.2 | 127.0.0.2",
            "203.0.113.7, unknown | 127.0.0.2 | 127.0.0.2",
            "203.0.113.7, 10.0.0.1, _hidden | 10.9.9.9 | 10.9.9.9",
            "unknown, 203.0.113.7 | 127.0.0.2 | 203.0.113.7",
            "203.0.113.7:51234 | 127.0.0.2 | 203.0.113.7",
            "[2001:db8::7]:443 | 127.0.0.2 | 2001:db8::7",
            "[2001:db8::7] | 127.0.0.2 | 2001:db8::7",
            "2001:db8::7 | 127.0.0.2 | 2001:db8::7",
            "::ffff:203.0.113.7 | 127.0.0.2 | 203.0.113.7",
            "203.0.113.7,2001:db8:1::5 | 2001:db8:1::9 | 203.0.113.7",
            "203.0.113.7 | 2001:db8:2::9 | 2001:db8:2::9"})
    void fromATrustedPeerTheRightmostUntrustedEntryIsTheClient(String xff, String peer, String client) {
        assertThat(LB.client(ip(peer), List.of(xff))).isEqualTo(ip(client));
    }

    @Test
    void severalLinesAreReadInArrivalOrder() {
        assertThat(LB.client(ip("127.0.0.2"), List.of("198.51.100.1", "203.0.113.7"))).isEqualTo(ip("203.0.113.7"));
        assertThat(LB.client(ip("127.0.0.2"), List.of("203.0.113.7, 10.0.0.1", "10.0.0.2"))).isEqualTo(ip("203.0.113.7"));
        assertThat(LB.client(ip("127.0.0.2"), List.of())).isEqualTo(ip("127.0.0.2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"010.0.0.1", "10.1", "10.0.0", "1.2.3.4.5", "256.1.1.1", "example.com", "localhost", "[::1", "[::1]x",
            "[::1]:", "[1.2.3.4]", "fe80::1%eth0", "1.2.3.4:", "1.2.3.4:x", ":80", "0x7f.0.0.1", "2130706433", " ", "\"1.2.3.4\""})
    void entriesThatAreNotAddressesAreNotRead(String entry) {
        assertThat(TrustedProxies.forwardedEntry(entry.strip())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/8", "192.0.2.7", "192.0.2.7/32", "127.0.0.0/8", "2001:db8::/32", "::1", "fd00::/8", " 10.1.0.0/16 "})
    void goodRangesAreAccepted(String cidr) {
        assertThat(TrustedProxies.problem(cidr)).isEmpty();
        assertThat(TrustedProxies.of(List.of(cidr)).isEmpty()).isFalse();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "10.0.0.0/33 | prefix length is 0-32",
            "2001:db8::/129 | prefix length is 0-128",
            "10.0.0.0/-1 | prefix length",
            "10.0.0.0/ | prefix length",
            "10.0.0.1/8 | write the network address",
            "0.0.0.0/0 | trusts every address",
            "::/0 | trusts every address",
            "example.com | is not an IP address or range",
            "10.0.0 | is not an IP address or range",
            "010.0.0.0/8 | is not an IP address or range",
            "'' | is not an IP address or range",
            "10.0.0.0-10.0.0.9 | is not an IP address or range"})
    void badRangesAreRefusedWithAReason(String cidr, String reason) {
        assertThat(TrustedProxies.problem(cidr)).hasValueSatisfying(m -> assertThat(m).contains("'" + cidr.strip() + "'").contains(reason));
        assertThatThrownBy(() -> TrustedProxies.of(List.of("10.0.0.0/8", cidr))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void membershipFollowsThePrefix() {
        TrustedProxies t = TrustedProxies.of(List.of("192.0.2.0/25", "2001:db8::/126"));
        assertThat(t.contains(ip("192.0.2.127"))).isTrue();
        assertThat(t.contains(ip("192.0.2.128"))).isFalse();
        assertThat(t.contains(ip("2001:db8::3"))).isTrue();
        assertThat(t.contains(ip("2001:db8::4"))).isFalse();
        assertThat(t.contains(ip("::ffff:192.0.2.1"))).as("IPv4-mapped is IPv4").isTrue();
    }
}
