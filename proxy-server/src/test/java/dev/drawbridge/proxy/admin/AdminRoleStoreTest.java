package dev.drawbridge.proxy.admin;

import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static dev.drawbridge.model.api.AdminRole.GLOBAL_ADMINISTRATOR;
import static dev.drawbridge.model.api.AdminRole.SECURITY_READER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The role store keeps an enabled global administrator, also when two demotions race (no lock above the database). */
class AdminRoleStoreTest {
    @TempDir
    Path dir;
    Database db;
    DirectoryStore users;
    AdminRoleStore roles;
    final Instant now = Instant.parse("2026-11-25T12:00:00Z");

    /** The database the store runs on (H2 here; PostgreSQL in {@link PostgresAdminRoleStoreTest}). */
    Database database() throws Exception {
        return Database.h2(dir);
    }

    @BeforeEach
    void open() throws Exception {
        db = database();
        users = new DirectoryStore(db);
        roles = new AdminRoleStore(db);
    }

    @AfterEach
    void close() throws Exception {
        if (db != null) { // null when the PostgreSQL subclass was skipped (no DRAWBRIDGE_TEST_PG_URL)
            db.close();
        }
    }

    String globalAdmin(String upn) throws Exception {
        String id = users.createUser(upn, upn, Optional.empty(), Optional.empty(), Optional.empty(), now).id();
        roles.setRoles(id, List.of(GLOBAL_ADMINISTRATOR), now);
        return id;
    }

    @Test
    void theLastEnabledGlobalAdministratorStays() throws Exception {
        String a = globalAdmin("a@corp.example");
        assertThatThrownBy(() -> roles.setRolesKeepingAGlobalAdministrator(a, List.of(SECURITY_READER), now))
                .isInstanceOf(AdminRoleStore.LastGlobalAdministratorException.class);
        assertThat(roles.roles(a)).containsExactly(GLOBAL_ADMINISTRATOR);
        String b = globalAdmin("b@corp.example");
        users.setEnabled(b, false, now);
        assertThat(roles.enabledHolders(GLOBAL_ADMINISTRATOR)).containsExactly(a);
        assertThatThrownBy(() -> roles.setRolesKeepingAGlobalAdministrator(a, List.of(), now))
                .as("a disabled one does not count").isInstanceOf(AdminRoleStore.LastGlobalAdministratorException.class);
        users.setEnabled(b, true, now);
        roles.setRolesKeepingAGlobalAdministrator(a, List.of(SECURITY_READER), now);
        assertThat(roles.roles(a)).containsExactly(SECURITY_READER);
    }

    @Test
    void twoRacingDemotionsLeaveOneGlobalAdministrator() throws Exception {
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            race(threads);
        }
    }

    private void race(ExecutorService threads) throws Exception {
        for (int round = 0; round < 20; round++) {
            String a = globalAdmin("a" + round + "@corp.example");
            String b = globalAdmin("b" + round + "@corp.example");
            for (String other : roles.enabledHolders(GLOBAL_ADMINISTRATOR)) {
                if (!other.equals(a) && !other.equals(b)) {
                    roles.setRoles(other, List.of(), now);
                }
            }
            CyclicBarrier start = new CyclicBarrier(2);
            List<CompletableFuture<Boolean>> demotions = new ArrayList<>();
            for (String id : List.of(a, b)) {
                demotions.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await(10, TimeUnit.SECONDS);
                        roles.setRolesKeepingAGlobalAdministrator(id, List.of(), now);
                        return true;
                    } catch (AdminRoleStore.LastGlobalAdministratorException e) {
                        return false;
                    } catch (Exception e) {
                        // A lock timeout or serialization failure also leaves the roles unchanged.
                        return false;
                    }
                }, threads));
            }
            long succeeded = demotions.stream().filter(CompletableFuture::join).count();
            assertThat(succeeded).as("round " + round).isLessThanOrEqualTo(1);
            assertThat(roles.enabledHolders(GLOBAL_ADMINISTRATOR)).as("round " + round).hasSize(2 - (int) succeeded);
        }
    }

    /**
     * The cluster's lock of global-administrator changes: two stores (as two nodes would hold) never run their exclusive
     * work at once, and the second sees what the first committed while it waited. Each work writes with the store's
     * own connections, as the admin API's operations do, so waiting for the lock cannot wait for itself.
     */
    @Test
    void exclusiveWorkOfTwoNodesNeverOverlapsAndTheSecondSeesTheFirstsChange() throws Exception {
        String a = globalAdmin("lock-a@corp.example");
        String b = globalAdmin("lock-b@corp.example");
        AdminRoleStore nodeA = new AdminRoleStore(db), nodeB = new AdminRoleStore(db);
        CountDownLatch aInside = new CountDownLatch(1);
        CountDownLatch bInside = new CountDownLatch(1);
        AtomicBoolean bGotInWhileAHeldTheLock = new AtomicBoolean();
        AtomicReference<List<String>> seenByB = new AtomicReference<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            var first = threads.submit(() -> {
                nodeA.exclusively(() -> {
                    aInside.countDown();
                    // Node B is on its way to the lock: it must not get in while node A holds it.
                    bGotInWhileAHeldTheLock.set(bInside.await(700, TimeUnit.MILLISECONDS));
                    users.setEnabled(b, false, now);
                });
                return null;
            });
            assertThat(aInside.await(10, TimeUnit.SECONDS)).isTrue();
            var second = threads.submit(() -> {
                nodeB.exclusively(() -> {
                    bInside.countDown();
                    seenByB.set(nodeB.enabledHolders(GLOBAL_ADMINISTRATOR));
                });
                return null;
            });
            first.get(30, TimeUnit.SECONDS);
            second.get(30, TimeUnit.SECONDS);
        }
        assertThat(bGotInWhileAHeldTheLock).as("node B's work ran while node A held the lock").isFalse();
        assertThat(seenByB.get()).as("node B decides on node A's committed change").containsExactly(a);
    }

    @Test
    void whatTheExclusiveWorkThrowsIsThrownAsItIs() {
        ApiException refusal = new ApiException(409, "Conflict", "no");
        assertThatThrownBy(() -> roles.exclusively(() -> {
            throw refusal;
        })).isSameAs(refusal);
        IllegalStateException bug = new IllegalStateException("bug");
        assertThatThrownBy(() -> roles.exclusively(() -> {
            throw bug;
        })).isSameAs(bug);
    }
}
