package dev.drawbridge.systemtests.live;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.AdminClientException;
import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AssignmentBody;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.time.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Live revocation on every node: two proxy-server nodes on one database (as {@code MultiNodeConnectorTest} runs them:
 * one data directory, one H2 database shared in the JVM). The users hold their WebSockets and event streams on node B;
 * the admin acts through node A. Node B's recheck reads the database (assignments) and its policy snapshot, reloaded from
 * the database, so node A's changes cut node B's streams within seconds, and only the streams they concern.
 */
class LiveRevocationNodesTest {
    @TempDir
    Path dir;
    private SampleApp app;
    private DrawbridgeStack nodeA;
    private DrawbridgeStack nodeB;

    @BeforeEach
    void start() throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        nodeA = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("cluster")));
        nodeB = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("cluster")).withKnownAdminToken(nodeA.adminToken()));
        nodeB.startConnector(dir.resolve("connector"), 1);
    }

    @AfterEach
    void stop() throws Exception {
        // Node B first: closing a node shuts the shared H2 database down.
        nodeB.close();
        nodeA.close();
        app.close();
    }

    private static boolean knows(AdminApi api, String appId) {
        try {
            api.apps().assignments(appId);
            return true;
        } catch (AdminClientException e) {
            return false;
        }
    }

    @Test
    void anAssignmentRemovedAndAPolicyAddedThroughNodeACutTheStreamsHeldOnNodeB() throws Exception {
        // Published through node B (each test node has its own public port, part of the app's URL).
        String hr = nodeB.adminApi().apps().create(new AppSpec("HR", nodeB.externalUrl("hr"), app.baseUri().toString(), null, null, null,
                PreAuthentication.DIRECTORY, new AccessSettings(true, true, true, false))).id();
        AdminApi viaA = nodeA.adminApi();
        // Node A reads the new app within its routes' reload (5 s).
        Await.until("node A to know the app published through node B", Duration.ofSeconds(20), () -> knows(viaA, hr));
        String unassigned = nodeA.createUser("leaver@corp.example", "Leaver", HeldStreams.PASSWORD).id();
        String blocked = nodeA.createUser("blocked@corp.example", "Blocked", HeldStreams.PASSWORD).id();
        String bystander = nodeA.createUser("stayer@corp.example", "Stayer", HeldStreams.PASSWORD).id();
        for (String u : List.of(unassigned, blocked, bystander)) {
            viaA.apps().assign(hr, new AssignmentBody("USER", u));
        }
        String url = nodeB.externalUrl("hr");
        try (HeldStreams leaver = new HeldStreams("unassigned through node A", nodeB, url, "leaver@corp.example");
             HeldStreams block = new HeldStreams("blocked through node A", nodeB, url, "blocked@corp.example");
             HeldStreams stayer = new HeldStreams("a bystander on node B", nodeB, url, "stayer@corp.example")) {
            viaA.apps().unassign(hr, "USER", unassigned);
            viaA.policies().create(new AccessPolicy(null, "Block one user", AccessPolicy.State.ON, List.of(hr), List.of(blocked),
                    List.of(), List.of(), List.of(), List.of(), null, AccessPolicy.Control.BLOCK));

            leaver.assertCut("the user is no longer assigned to the app");
            block.assertCut("conditional access now blocks it");
            stayer.assertOpen();
        }
    }
}
