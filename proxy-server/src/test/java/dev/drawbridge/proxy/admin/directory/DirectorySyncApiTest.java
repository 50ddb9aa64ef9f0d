package dev.drawbridge.proxy.admin.directory;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import dev.drawbridge.model.api.DirectorySyncResult;
import dev.drawbridge.model.api.LdapSyncSettings;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.admin.operation.FakeAdminRequest;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.LdapSync;
import dev.drawbridge.proxy.jobs.ClusterJobs;
import dev.drawbridge.proxy.jobs.JobLeases;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.pki.DataKey;
import dev.drawbridge.proxy.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * "Sync now" through the admin API takes the directory sync's cluster lease ({@code directory.sync}, the scheduled sync's):
 * while another node holds it the answer is 409 naming that node and LDAP is not read; once it is free the sync runs here and
 * is recorded as the job's last run by this node.
 */
class DirectorySyncApiTest {
    static final String BASE = "dc=corp,dc=example";
    static final String PEOPLE = "ou=people," + BASE;
    @TempDir
    Path dir;
    InMemoryDirectoryServer ldap;
    Database db;
    DirectoryStore store;
    ClusterJobs jobs;
    DirectorySyncApi api;
    final ClusterJobs.Job job = new ClusterJobs.Job(DirectorySyncApi.JOB, Duration.ofMinutes(1), Duration.ofMinutes(5), () -> { });

    @BeforeEach
    void start() throws Exception {
        InMemoryDirectoryServerConfig cfg = new InMemoryDirectoryServerConfig(BASE);
        cfg.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(), 0, null));
        ldap = new InMemoryDirectoryServer(cfg);
        ldap.add("dn: " + BASE, "objectClass: top", "objectClass: domain", "dc: corp");
        ldap.add("dn: " + PEOPLE, "objectClass: organizationalUnit", "ou: people");
        ldap.add("dn: uid=ada," + PEOPLE, "objectClass: person", "objectClass: inetOrgPerson", "uid: ada", "cn: Ada", "sn: Ada",
                "mail: ada@corp.example");
        ldap.startListening();
        db = Database.h2(dir.resolve("db"));
        store = new DirectoryStore(db);
        LdapSync sync = new LdapSync(db, store, DataKey.loadOrCreate(dir.resolve("data")), Clock.systemUTC(), null);
        sync.save(new LdapSyncSettings("ldap://127.0.0.1:" + ldap.getListenPort(), null, null, PEOPLE, "(objectClass=person)", "mail",
                "cn", "mail", null, null, null, null, 0, false, null, null, null));
        jobs = new ClusterJobs(new JobLeases(db, "node-a"), Executors.newSingleThreadScheduledExecutor(),
                Executors.newVirtualThreadPerTaskExecutor(), Duration.ofSeconds(30));
        api = new DirectorySyncApi(sync, new AuditLog(db, Clock.systemUTC()), jobs, job);
    }

    @AfterEach
    void stop() throws Exception {
        jobs.close();
        ldap.shutDown(true);
        db.close();
    }

    @Test
    void aSyncNowWhileAnotherNodeSyncsIsRefusedAndRunsOnceTheLeaseIsFree() throws Exception {
        JobLeases nodeB = new JobLeases(db, "node-b");
        nodeB.register(DirectorySyncApi.JOB);
        assertThat(nodeB.tryAcquire(DirectorySyncApi.JOB, job.period(), job.lease())).as("node B syncs").isTrue();

        ApiException busy = catchThrowableOfType(ApiException.class, () -> api.run(Caller.BOOTSTRAP, new FakeAdminRequest()));
        assertThat(busy).as("sync now while node B syncs").isNotNull();
        assertThat(busy.problem().status()).isEqualTo(409);
        assertThat(busy.problem().detail()).contains("running right now on node node-b");
        assertThat(store.userByUpn("ada@corp.example")).as("LDAP was not read").isEmpty();
        assertThat(new JobLeases(db, "x").find(DirectorySyncApi.JOB).orElseThrow().holder()).as("node B's lease untouched").contains("node-b");

        assertThat(nodeB.finish(DirectorySyncApi.JOB)).isTrue();
        Answer.Json ran = (Answer.Json) api.run(Caller.BOOTSTRAP, new FakeAdminRequest());
        assertThat(ran.status()).isEqualTo(200);
        assertThat(((DirectorySyncResult) ran.body()).usersCreated()).isEqualTo(1);
        assertThat(store.userByUpn("ada@corp.example")).isPresent();
        JobLeases.Lease lease = new JobLeases(db, "x").find(DirectorySyncApi.JOB).orElseThrow();
        assertThat(lease.holder()).as("given back").isEmpty();
        assertThat(lease.lastHolder()).as("recorded as this node's run").contains("node-a");
    }
}
