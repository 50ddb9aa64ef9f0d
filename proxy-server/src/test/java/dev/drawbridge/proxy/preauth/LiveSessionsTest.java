package dev.drawbridge.proxy.preauth;

import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The leases of exchanges held open by signed-in users: a recheck cuts exactly those whose user was disabled, deleted
 * or had their sessions revoked after the lease's auth time (also when the user was enabled again since), never
 * another user's, a newer session's or a lease already closed.
 */
class LiveSessionsTest {
    static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
    @TempDir
    Path dir;
    Database db;
    DirectoryStore store;
    LiveSessions live;

    @BeforeEach
    void open() throws Exception {
        db = Database.h2(dir);
        store = new DirectoryStore(db);
        live = new LiveSessions(store);
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    DirectoryUser user(String upn) throws Exception {
        return store.createUser(upn, upn, Optional.empty(), Optional.empty(), Optional.empty(), T0.minusSeconds(3600));
    }

    AtomicInteger lease(DirectoryUser u, Instant authTime) {
        AtomicInteger cuts = new AtomicInteger();
        live.open(new Identity(u, List.of(), List.of("pwd"), authTime)).onRevoke(cuts::incrementAndGet);
        return cuts;
    }

    @Test
    void aRecheckCutsTheLeasesOfDisabledRevokedAndDeletedUsersOnly() throws Exception {
        DirectoryUser disabled = user("disabled@corp.example"), revoked = user("revoked@corp.example"),
                deleted = user("deleted@corp.example"), bystander = user("bystander@corp.example");
        AtomicInteger d = lease(disabled, T0), r = lease(revoked, T0), x = lease(deleted, T0), b = lease(bystander, T0);
        live.recheck();
        assertThat(List.of(d.get(), r.get(), x.get(), b.get())).containsOnly(0);

        store.setEnabled(disabled.id(), false, T0.plusSeconds(10));
        store.setEnabled(disabled.id(), true, T0.plusSeconds(20));
        store.revokeSessions(revoked.id(), T0.plusSeconds(10));
        store.deleteUser(deleted.id());
        // A lease taken by a sign-in after the revocation stands.
        AtomicInteger fresh = lease(revoked, T0.plusSeconds(11));
        live.recheck();
        assertThat(d.get()).as("disabled, even though enabled again").isEqualTo(1);
        assertThat(r.get()).as("sessions revoked").isEqualTo(1);
        assertThat(x.get()).as("deleted").isEqualTo(1);
        assertThat(b.get()).as("another user").isZero();
        assertThat(fresh.get()).as("a session begun after the revocation").isZero();
        // Cut once: a cut lease is gone.
        live.recheck();
        assertThat(List.of(d.get(), r.get(), x.get())).containsOnly(1);
        assertThat(live.size()).isEqualTo(2);
    }

    @Test
    void aClosedLeaseIsNeverCutAndOneCutBeforeItsActionWasSetRunsItAtOnce() throws Exception {
        DirectoryUser u = user("u@corp.example");
        AtomicInteger cuts = new AtomicInteger();
        LiveSessions.Lease closed = live.open(new Identity(u, List.of(), List.of("pwd"), T0));
        closed.onRevoke(cuts::incrementAndGet);
        closed.close();
        LiveSessions.Lease early = live.open(new Identity(u, List.of(), List.of("pwd"), T0));
        store.setEnabled(u.id(), false, T0.plusSeconds(1));
        live.recheck();
        assertThat(cuts.get()).isZero();
        early.onRevoke(cuts::incrementAndGet);
        assertThat(cuts.get()).isEqualTo(1);
        assertThat(live.size()).isZero();
    }
}
