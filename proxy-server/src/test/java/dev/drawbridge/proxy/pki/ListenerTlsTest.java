package dev.drawbridge.proxy.pki;

import dev.drawbridge.model.tls.TlsProfile;
import dev.drawbridge.proxy.ProxyServer;
import dev.drawbridge.proxy.config.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.SSLContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the server's two TLS listeners accept, seen from the wire: every suite the JDK knows is offered alone to the
 * public and the tunnel listener, and exactly the {@link TlsProfile}'s suites that fit the server's EC certificates are
 * accepted; TLS 1.1 and older, and key-exchange groups outside the profile, are refused.
 */
class ListenerTlsTest {
    @TempDir
    static Path dir;
    private static ProxyServer server;

    @BeforeAll
    static void start() throws Exception {
        server = ProxyServer.start(ServerConfig.defaults(dir).withPorts("127.0.0.1", 0, 0));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** Each listener with the SNI host a client would use there. */
    private static Map<String, InetSocketAddress> listeners() {
        return Map.of("app.localhost", new InetSocketAddress("127.0.0.1", server.publicPort()),
                "admin.localhost", new InetSocketAddress("127.0.0.1", server.tunnelPort()));
    }

    private static boolean isTls13(String suite) {
        return !suite.contains("_WITH_");
    }

    private static List<Integer> profileGroups() {
        return TlsProfile.NAMED_GROUPS.stream().map(TlsProbe.GROUPS::get).toList();
    }

    @Test
    void theProbeKnowsEverySuiteTheJdkSupports() throws Exception {
        Set<String> jdk = new TreeSet<>(List.of(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites()));
        jdk.remove("TLS_EMPTY_RENEGOTIATION_INFO_SCSV");
        assertThat(TlsProbe.SUITES.keySet()).as("add the IANA code of any new JDK suite to TlsProbe").containsAll(jdk);
    }

    @Test
    void eachListenerAcceptsExactlyTheProfileSuitesForItsEcCertificate() throws Exception {
        // The server's certificates have EC keys: of the profile's TLS 1.2 suites only the ECDSA ones can be chosen.
        Set<String> expected = new TreeSet<>(TlsProfile.CIPHER_SUITES.stream()
                .filter(s -> isTls13(s) || s.contains("_ECDSA_")).toList());
        for (var l : listeners().entrySet()) {
            Set<String> accepted = new TreeSet<>();
            for (var suite : TlsProbe.SUITES.entrySet()) {
                Optional<TlsProbe.Choice> chosen = TlsProbe.hello(l.getValue(), l.getKey(),
                        isTls13(suite.getKey()) ? TlsProbe.TLS13 : TlsProbe.TLS12, List.of(suite.getValue()), profileGroups());
                if (chosen.isPresent()) {
                    assertThat(chosen.get().suite()).as("the suite chosen for a ClientHello offering only " + suite.getKey())
                            .isEqualTo(suite.getValue());
                    accepted.add(suite.getKey());
                }
            }
            assertThat(accepted).as("suites accepted on port " + l.getValue().getPort()).isEqualTo(expected);
        }
    }

    @Test
    void tls11AndOlderAreRefusedWhateverTheSuites() throws Exception {
        List<Integer> everyOldSuite = TlsProbe.SUITES.entrySet().stream().filter(e -> !isTls13(e.getKey()))
                .map(Map.Entry::getValue).toList();
        for (var l : listeners().entrySet()) {
            for (int version : new int[]{TlsProbe.SSL3, TlsProbe.TLS10, TlsProbe.TLS11}) {
                assertThat(TlsProbe.hello(l.getValue(), l.getKey(), version, everyOldSuite, profileGroups()))
                        .as("a ClientHello of version %04x on port %d", version, l.getValue().getPort()).isEmpty();
            }
            // The same hello at TLS 1.2 is answered: the refusals above are about the version.
            assertThat(TlsProbe.hello(l.getValue(), l.getKey(), TlsProbe.TLS12, everyOldSuite, profileGroups())).isPresent();
        }
    }

    @Test
    void onlyTheProfileGroupsAreUsedForKeyExchange() throws Exception {
        int tls13Suite = TlsProbe.SUITES.get("TLS_AES_128_GCM_SHA256");
        int tls12Suite = TlsProbe.SUITES.get("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        int p256 = TlsProbe.GROUPS.get("secp256r1");
        for (var l : listeners().entrySet()) {
            int port = l.getValue().getPort();
            // TLS 1.3: offered alone (with an empty key share), a group is accepted only if it is in the profile.
            List<String> accepted = new ArrayList<>();
            for (var g : TlsProbe.GROUPS.entrySet()) {
                Optional<TlsProbe.Choice> c = TlsProbe.hello(l.getValue(), l.getKey(), TlsProbe.TLS13, List.of(tls13Suite), List.of(g.getValue()));
                if (c.isPresent()) {
                    assertThat(c.get().group()).as("the group of the HelloRetryRequest").contains(g.getValue());
                    accepted.add(g.getKey());
                }
            }
            assertThat(accepted).as("TLS 1.3 groups on port " + port).containsExactlyInAnyOrderElementsOf(TlsProfile.NAMED_GROUPS);
            // TLS 1.2 ties the certificate's curve (P-256) to the same extension, so each other group is offered
            // first with P-256 after it: the server must still pick P-256.
            for (var g : TlsProbe.GROUPS.entrySet()) {
                if (!TlsProfile.NAMED_GROUPS.contains(g.getKey())) {
                    Optional<TlsProbe.Choice> c = TlsProbe.hello(l.getValue(), l.getKey(), TlsProbe.TLS12, List.of(tls12Suite),
                            List.of(g.getValue(), p256));
                    assertThat(c).as("TLS 1.2 hello preferring %s on port %d", g.getKey(), port).isPresent();
                    assertThat(c.get().group()).as("TLS 1.2 group chosen over %s on port %d", g.getKey(), port).contains(p256);
                }
            }
        }
    }
}
