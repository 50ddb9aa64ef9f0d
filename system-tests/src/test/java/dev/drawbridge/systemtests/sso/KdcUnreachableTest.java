package dev.drawbridge.systemtests.sso;

import dev.drawbridge.connector.sso.kerberos.Delegation;
import dev.drawbridge.connector.sso.kerberos.DelegationRefused;
import dev.drawbridge.connector.sso.kerberos.KerberosSettings;
import dev.drawbridge.connector.sso.kerberos.RefusalReason;
import dev.drawbridge.testsupport.identity.KdcRequests;
import dev.drawbridge.testsupport.identity.KerberosRealm;
import dev.drawbridge.testsupport.identity.Keytabs;
import dev.drawbridge.testsupport.time.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.drawbridge.systemtests.sso.KerberosBackend.BACKEND;
import static dev.drawbridge.systemtests.sso.KerberosBackend.CONNECTOR;
import static dev.drawbridge.systemtests.sso.KerberosBackend.refusal;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A KDC that cannot be reached gives {@link RefusalReason#KDC_UNREACHABLE} within the settings' timeout, never a hang:
 * a port that refuses connections, a KDC that accepts and never answers, and the realm's own KDC going down while the
 * connector runs (users already served go on without it; a new one is refused until it is back).
 */
class KdcUnreachableTest {
    static KerberosBackend kerberos;
    static KerberosRealm realm;
    @TempDir
    Path state;
    final MutableClock clock = new MutableClock();
    final List<Delegation> delegations = new ArrayList<>();

    @BeforeAll
    static void servers() throws Exception {
        kerberos = KerberosBackend.shared();
        realm = kerberos.realm;
    }

    @AfterEach
    void close() {
        delegations.forEach(Delegation::close);
    }

    /** A connector of realm {@code realmName}, whose one KDC is at {@code port}, waiting {@code timeout} for it. */
    Delegation connectorOf(String realmName, int port, Duration timeout) throws Exception {
        KerberosSettings settings = new KerberosSettings(realmName, List.of(new KerberosSettings.Kdc("127.0.0.1", port)), CONNECTOR,
                Keytabs.withRandomKey(CONNECTOR + "@" + realmName), timeout);
        Delegation delegation = KerberosBackend.delegation(settings, state, clock);
        delegations.add(delegation);
        return delegation;
    }

    @Test
    void aKdcPortThatRefusesConnectionsIsReportedAtOnce() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Delegation down = connectorOf("DOWN.TEST", closed, Duration.ofSeconds(3));
        DelegationRefused refused = refusal(down, "alice", "HTTP/backend.down.test", Duration.ofSeconds(1));
        assertThat(refused.reason()).isEqualTo(RefusalReason.KDC_UNREACHABLE);
        assertThat(refused.reason().retryable()).isTrue();
        assertThat(refused.getMessage()).contains("no KDC", "TCP port 88").doesNotContain("Connection refused");
        // the twin: the same connector settings, but the realm's KDC, which answers
        Delegation up = KerberosBackend.delegation(kerberos.settings(CONNECTOR, kerberos.connectorKeytab), state, clock);
        delegations.add(up);
        assertThat(kerberos.backendSees(up, "alice")).contains("REMOTE_USER=alice@EXAMPLE.TEST");
    }

    @Test
    void aKdcThatNeverAnswersIsGivenUpAfterTheTimeout() throws Exception {
        Duration timeout = Duration.ofMillis(300);
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // held open, never answered
                    }
                } catch (Exception closed) {
                    // the test is over
                }
            });
            Delegation mute = connectorOf("SILENT.TEST", silent.getLocalPort(), timeout);
            DelegationRefused refused = refusal(mute, "alice", "HTTP/backend.silent.test", timeout.plusSeconds(1));
            assertThat(refused.reason()).isEqualTo(RefusalReason.KDC_UNREACHABLE);
            assertThat(accepted).as("the connector did reach the silent KDC").isNotEmpty();
            silent.close();
            acceptor.join();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void aKdcOutageStopsNewUsersOnlyAndEndsWithIt() throws Exception {
        Delegation delegation = KerberosBackend.delegation(kerberos.settings(CONNECTOR, kerberos.connectorKeytab), state, clock);
        delegations.add(delegation);
        assertThat(kerberos.backendSees(delegation, "alice")).contains("REMOTE_USER=alice@EXAMPLE.TEST");
        try (KerberosRealm.Outage outage = realm.kdcOutage()) {
            KdcRequests before = realm.kdcRequests();
            assertThat(refusal(delegation, "carol", BACKEND).reason()).isEqualTo(RefusalReason.KDC_UNREACHABLE);
            assertThat(kerberos.backendSees(delegation, "alice")).as("served from the cache").contains("REMOTE_USER=alice@EXAMPLE.TEST");
            assertThat(realm.kdcRequests().since(before).total()).isZero();
        }
        assertThat(kerberos.backendSees(delegation, "carol")).contains("REMOTE_USER=carol@EXAMPLE.TEST");
    }
}
