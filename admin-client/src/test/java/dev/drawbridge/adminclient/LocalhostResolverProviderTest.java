package dev.drawbridge.adminclient;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JVM's name lookups, with this module on the class path, put *.localhost on loopback and leave other names alone. */
class LocalhostResolverProviderTest {
    @Test
    void namesUnderLocalhostAreLoopbackInAnySpelling() throws Exception {
        for (String name : new String[]{"admin.localhost", "a.b.ADMIN.LocalHost", "hr.localhost."}) {
            InetAddress a = InetAddress.getByName(name);
            assertThat(a.isLoopbackAddress()).as(name).isTrue();
            assertThat(a.getHostName()).as("the name is kept").isEqualTo(name);
        }
    }

    @Test
    void otherNamesAndLiteralsGoToTheBuiltInResolver() throws Exception {
        assertThat(InetAddress.getByName("127.0.0.2").getHostAddress()).isEqualTo("127.0.0.2");
        assertThat(InetAddress.getByName("10.1.2.3").isLoopbackAddress()).isFalse();
        // RFC 6761 reserves .invalid: the system never resolves it, and a name merely containing "localhost" is not one under it.
        assertThatThrownBy(() -> InetAddress.getByName("admin.localhost.invalid")).isInstanceOf(UnknownHostException.class);
        assertThatThrownBy(() -> InetAddress.getByName("evil-localhost.invalid")).isInstanceOf(UnknownHostException.class);
    }
}
