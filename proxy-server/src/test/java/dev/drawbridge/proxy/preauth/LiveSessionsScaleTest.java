package dev.drawbridge.proxy.preauth;

import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.apps.AppStore;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.identity.DirectoryBatch;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.identity.SettableClock;
import dev.drawbridge.proxy.policy.PolicyStore;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.tunnel.ConnectorStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A recheck with thousands of open leases reads the directory once, in batches (a few queries per
 * {@link DirectoryBatch#BATCH} users, not one per lease), and cuts exactly the leases of the users whose standing
 * changed. Its duration is reported, not asserted.
 */
class LiveSessionsScaleTest {
    static final int USERS = 1_000, LEASES = 5_000;
    @TempDir
    Path dir;

    @Test
    void fiveThousandLeasesAreRecheckedInOneBatchedReadAndOnlyTheChangedUsersAreCut() throws Exception {
        try (Database db = Database.h2(dir)) {
            DirectoryStore store = new DirectoryStore(db);
            String group = new ConnectorStore(db).ensureDefaultGroup(LiveSessionsTest.T0).id();
            PublishedApp hr = LiveSessionsTest.app("hr", true, PreAuthentication.DIRECTORY, group);
            PublishedApp wiki = LiveSessionsTest.app("wiki", false, PreAuthentication.DIRECTORY, group);
            new AppStore(db).insert(hr);
            new AppStore(db).insert(wiki);
            DirectoryStore.Group staff = store.createGroup("staff", Optional.empty(), LiveSessionsTest.T0);
            store.assign("hr", DirectoryStore.PrincipalType.GROUP, staff.id(), LiveSessionsTest.T0);
            List<DirectoryUser> users = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                DirectoryUser u = store.createUser("u" + i + "@corp.example", "U" + i, Optional.empty(), Optional.empty(), Optional.empty(),
                        LiveSessionsTest.T0.minusSeconds(3600));
                store.addMember(staff.id(), u.id());
                users.add(u);
            }
            AtomicInteger reads = new AtomicInteger();
            LiveDirectory directory = LiveDirectory.of(store);
            LiveSessions live = new LiveSessions((ids, apps) -> {
                reads.incrementAndGet();
                return directory.read(ids, apps);
            }, () -> List.of(hr, wiki), new PolicyStore(db), new SettableClock(LiveSessionsTest.T0.plusSeconds(60)));
            AtomicInteger cut = new AtomicInteger();
            IntStream.range(0, LEASES).forEach(i -> live.open(i % 2 == 0 ? hr : wiki,
                    new Identity(users.get(i % USERS), List.of(), List.of("pwd"), LiveSessionsTest.T0),
                    new AccessCheck.Origin(InetAddress.ofLiteral("10.0.0." + (i % 250)), AccessPolicy.ClientType.BROWSER, List.of("pwd")))
                    .onRevoke(r -> cut.incrementAndGet()));

            long start = System.nanoTime();
            assertThat(live.recheck()).isZero();
            Duration first = Duration.ofNanos(System.nanoTime() - start);
            // Ten users leave the group: their leases on hr (each user holds 5 leases, alternating apps by index).
            for (int i = 0; i < 10; i++) {
                store.removeMember(staff.id(), users.get(i).id());
            }
            start = System.nanoTime();
            int cuts = live.recheck();
            Duration second = Duration.ofNanos(System.nanoTime() - start);
            long expected = IntStream.range(0, LEASES).filter(i -> i % USERS < 10 && i % 2 == 0).count();
            assertThat(cuts).isEqualTo(expected).isEqualTo(cut.get());
            assertThat(reads.get()).as("one batched directory read per recheck").isEqualTo(2);
            assertThat(live.size()).isEqualTo(LEASES - expected);
            System.out.printf("LiveSessionsScaleTest: %d leases of %d users: recheck %d ms (nothing to cut), %d ms (%d cut)%n",
                    LEASES, USERS, first.toMillis(), second.toMillis(), cuts);
        }
    }
}
