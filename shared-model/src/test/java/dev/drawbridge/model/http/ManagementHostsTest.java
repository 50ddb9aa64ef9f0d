package dev.drawbridge.model.http;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ManagementHosts} for every kind of bound address (loopback by literal, loopback reached by a name such as this
 * machine's host name, the wildcard, another address) against every kind of {@code Host}: loopback names, loopback IP
 * literals, other IP literals, DNS names (also ones that look like loopback).
 */
class ManagementHostsTest {
    static final List<String> LOOPBACK_HOSTS = List.of("localhost", "LOCALHOST", "metrics.localhost", "localhost.", "127.0.0.1",
            "127.1.2.3", "[::1]", "::1", "[::ffff:127.0.0.1]");
    static final List<String> OTHER_LITERALS = List.of("10.1.2.3", "192.0.2.7", "[2001:db8::1]", "0.0.0.0");
    static final List<String> NAMES = List.of("evil.example", "localhost.evil.example", "127.0.0.1.nip.io", "vm", "admin.localhost.example",
            "", "[evil.example]", "[::1");

    static List<InetAddress> loopbackBinds() throws Exception {
        return List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"),
                InetAddress.getByAddress("vm", new byte[] {127, 0, 1, 1}), InetAddress.getByAddress("localhost.localdomain", new byte[] {127, 0, 0, 1}));
    }

    static List<InetAddress> otherBinds() throws Exception {
        return List.of(InetAddress.getByName("0.0.0.0"), InetAddress.getByName("::"), InetAddress.getByName("10.1.2.3"),
                InetAddress.getByAddress("vm", new byte[] {10, 1, 2, 3}));
    }

    @Test
    void boundToLoopbackOnlyLoopbackHostsAreAnsweredWhateverTheBindsName() throws Exception {
        for (InetAddress bound : loopbackBinds()) {
            assertThat(LOOPBACK_HOSTS).as("%s", bound).allMatch(h -> ManagementHosts.allows(bound, h));
            assertThat(OTHER_LITERALS).as("%s", bound).noneMatch(h -> ManagementHosts.allows(bound, h));
            assertThat(NAMES).as("%s", bound).noneMatch(h -> ManagementHosts.allows(bound, h));
            assertThat(ManagementHosts.refusal(bound)).contains("bound to loopback");
        }
    }

    @Test
    void boundElsewhereOrToTheWildcardIpLiteralsAndLoopbackNamesAreAnsweredNeverADnsName() throws Exception {
        for (InetAddress bound : otherBinds()) {
            assertThat(LOOPBACK_HOSTS).as("%s", bound).allMatch(h -> ManagementHosts.allows(bound, h));
            assertThat(OTHER_LITERALS).as("%s", bound).allMatch(h -> ManagementHosts.allows(bound, h));
            assertThat(NAMES).as("%s", bound).noneMatch(h -> ManagementHosts.allows(bound, h));
            assertThat(ManagementHosts.refusal(bound)).contains("not to a DNS name");
        }
    }

    @Test
    void aMissingHostIsNeverAnswered() throws Exception {
        for (InetAddress bound : List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("0.0.0.0"))) {
            assertThat(ManagementHosts.allows(bound, null)).isFalse();
        }
    }
}
