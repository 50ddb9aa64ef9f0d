package dev.drawbridge.systemtests.sso;

import dev.drawbridge.connector.sso.kerberos.Delegation;
import dev.drawbridge.connector.sso.kerberos.Negotiation;
import dev.drawbridge.testsupport.identity.KdcRequests;
import dev.drawbridge.testsupport.identity.KerberosRealm;
import dev.drawbridge.testsupport.time.Await;
import dev.drawbridge.testsupport.time.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.drawbridge.systemtests.sso.KerberosBackend.BACKEND;
import static dev.drawbridge.systemtests.sso.KerberosBackend.CONNECTOR;
import static dev.drawbridge.systemtests.sso.KerberosBackend.OTHER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connector asks the KDC once per user and SPN (S4U2Self + S4U2Proxy), then serves that user's requests with no
 * KDC request at all until shortly before the tickets end (by the connector's clock); counted from the KDC's log.
 */
class KerberosTicketCacheTest {
    static final KdcRequests NONE = new KdcRequests(0, 0);
    static KerberosBackend kerberos;
    static KerberosRealm realm;
    @TempDir
    Path state;
    final MutableClock clock = new MutableClock();
    Delegation delegation;

    @BeforeAll
    static void servers() throws Exception {
        kerberos = KerberosBackend.shared();
        realm = kerberos.realm;
    }

    @AfterEach
    void close() {
        if (delegation != null) {
            delegation.close();
        }
    }

    /** The KDC requests {@code step} made: awaited to show up in the KDC's log when some are expected. */
    KdcRequests requestsOf(Callable<?> step, boolean expectSome) throws Exception {
        KdcRequests before = realm.kdcRequests();
        step.call();
        if (expectSome) {
            Await.until("the KDC to log the requests", Duration.ofSeconds(5), () -> realm.kdcRequests().since(before).total() > 0);
        }
        return realm.kdcRequests().since(before);
    }

    @Test
    void aSecondRequestOfTheSameUserToTheSameSpnAsksTheKdcNothing() throws Exception {
        delegation = KerberosBackend.delegation(kerberos.settings(CONNECTOR, kerberos.connectorKeytab), state, clock);
        KdcRequests first = requestsOf(() -> kerberos.backendSees(delegation, "alice"), true);
        assertThat(first.as()).as("the connector's login").isPositive();
        assertThat(first.tgs()).as("S4U2Self + S4U2Proxy").isEqualTo(2);

        assertThat(requestsOf(() -> kerberos.backendSees(delegation, "alice"), false)).isEqualTo(NONE);
        assertThat(requestsOf(() -> kerberos.backendSees(delegation, "alice@EXAMPLE.TEST"), false).total()).as("same user, spelt out").isZero();

        KdcRequests carol = requestsOf(() -> kerberos.backendSees(delegation, "carol"), true);
        assertThat(carol).as("another user: S4U2Self + S4U2Proxy, no new login").isEqualTo(new KdcRequests(0, 2));
        assertThat(requestsOf(() -> kerberos.backendSees(delegation, "carol"), false).total()).isZero();

        try {
            realm.allowDelegation(CONNECTOR, BACKEND, OTHER);
            KdcRequests otherSpn = requestsOf(() -> {
                delegation.negotiate("alice", OTHER).close();
                return null;
            }, true);
            assertThat(otherSpn.tgs()).as("the same user to another SPN").isPositive();
        } finally {
            realm.allowDelegation(CONNECTOR, BACKEND);
        }
        assertThat(delegation.cached()).isEqualTo(3);
    }

    @Test
    void cachedTicketsAreReplacedShortlyBeforeTheyEnd() throws Exception {
        delegation = KerberosBackend.delegation(kerberos.settings(CONNECTOR, kerberos.connectorKeytab), state, clock);
        assertThat(requestsOf(() -> kerberos.backendSees(delegation, "alice"), true).tgs()).isEqualTo(2);
        // the realm's tickets last an hour: kept until 5 minutes before their end, by the connector's clock
        clock.advance(KerberosRealm.MAX_TICKET_LIFE.minus(Delegation.EXPIRY_MARGIN).minusMinutes(1));
        assertThat(requestsOf(() -> kerberos.backendSees(delegation, "alice"), false)).isEqualTo(NONE);

        clock.advance(Duration.ofMinutes(2));
        KdcRequests renewed = requestsOf(() -> kerberos.backendSees(delegation, "alice"), true);
        assertThat(renewed.as()).as("the connector's TGT is replaced too").isPositive();
        assertThat(renewed.tgs()).isEqualTo(2);
        // (no "and then cached again" here: the new tickets end an hour after the KDC's now, which this advanced clock
        // already sees as past their margin; aSecondRequestOfTheSameUser... shows the caching itself)
    }

    @Test
    void concurrentFirstRequestsForOneUserShareOneExchange() throws Exception {
        delegation = KerberosBackend.delegation(kerberos.settings(CONNECTOR, kerberos.connectorKeytab), state, clock);
        kerberos.backendSees(delegation, "alice"); // signed in
        int threads = 8;
        CountDownLatch go = new CountDownLatch(1);
        KdcRequests requests = requestsOf(() -> {
            try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
                List<Future<String>> results = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    results.add(pool.submit(() -> {
                        go.await();
                        try (Negotiation negotiation = delegation.negotiate("carol", BACKEND)) {
                            return negotiation.authorization();
                        }
                    }));
                }
                go.countDown();
                for (Future<String> result : results) {
                    assertThat(result.get()).startsWith("Negotiate ");
                }
            }
            return null;
        }, true);
        assertThat(requests).isEqualTo(new KdcRequests(0, 2));
    }
}
