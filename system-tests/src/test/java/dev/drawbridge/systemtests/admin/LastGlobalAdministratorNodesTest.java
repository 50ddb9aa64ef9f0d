package dev.drawbridge.systemtests.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.proxy.web.Json;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.StringRequestContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The last enabled global administrator stays when the changes that could take them away arrive at two nodes of a
 * cluster at once: each node's own lock cannot see the other's, so the check and the change must be one step for the
 * whole cluster. Two global administrators, each signed in at their own node, disable (or demote, or delete) each
 * other at the same moment, round after round: at most one of the two changes may succeed, and one enabled global
 * administrator always remains.
 */
class LastGlobalAdministratorNodesTest {
    static final String PASSWORD = "correct horse battery staple";
    static final int ROUNDS = 12;

    @TempDir
    Path dir;
    DrawbridgeStack nodeA;
    DrawbridgeStack nodeB;
    String alice;
    String bob;

    @BeforeEach
    void start() throws Exception {
        nodeA = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("cluster")));
        nodeB = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("cluster")).withKnownAdminToken(nodeA.adminToken()));
        alice = globalAdministrator("alice@corp.example");
        bob = globalAdministrator("bob@corp.example");
    }

    @AfterEach
    void stop() throws Exception {
        // Node B first: closing a node shuts the shared H2 database down.
        nodeB.close();
        nodeA.close();
    }

    private String globalAdministrator(String upn) throws Exception {
        var created = nodeA.api("POST", "users", Map.of("upn", upn, "displayName", upn, "password", PASSWORD));
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
        String id = created.body().path("id").asText();
        assertThat(nodeA.api("PUT", "users/" + id + "/roles", Map.of("roles", List.of(AdminRole.GLOBAL_ADMINISTRATOR))).status())
                .isEqualTo(200);
        return id;
    }

    private static String token(DrawbridgeStack node, String upn) throws Exception {
        ContentResponse r = send(node, null, "POST", "auth/token", Map.of("username", upn, "password", PASSWORD));
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(200);
        return Json.MAPPER.readTree(r.getContent()).path("accessToken").asText();
    }

    private static ContentResponse send(DrawbridgeStack node, String token, String method, String path, Object body) throws Exception {
        var req = node.http().newRequest(node.adminUrl().resolve("/api/v1/" + path)).method(method).timeout(30, TimeUnit.SECONDS);
        if (token != null) {
            req.headers(h -> h.put("Authorization", "Bearer " + token));
        }
        if (body != null) {
            req.body(new StringRequestContent("application/json", Json.MAPPER.writeValueAsString(body)));
        }
        return req.send();
    }

    /** One way of taking a global administrator away: the method, path and body a caller sends for a target. */
    @FunctionalInterface
    interface Removal {
        ContentResponse send(DrawbridgeStack node, String token, String target) throws Exception;
    }

    static final Removal DISABLE = (node, token, target) -> send(node, token, "POST", "users/" + target + "/disable", null);
    static final Removal DEMOTE = (node, token, target) -> send(node, token, "PUT", "users/" + target + "/roles", Map.of("roles", List.of()));

    @Test
    void twoNodesDisablingEachOthersGlobalAdministratorLeaveOne() throws Exception {
        race(DISABLE, DISABLE);
    }

    @Test
    void aDisableOnOneNodeAndADemotionOnTheOtherLeaveOne() throws Exception {
        race(DISABLE, DEMOTE);
    }

    private void race(Removal onA, Removal onB) throws Exception {
        List<String> wrong = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            for (int round = 0; round < ROUNDS; round++) {
                String aliceToken = token(nodeA, "alice@corp.example");
                String bobToken = token(nodeB, "bob@corp.example");
                CyclicBarrier together = new CyclicBarrier(2);
                Future<ContentResponse> aliceRemovesBob = threads.submit(() -> {
                    together.await(10, TimeUnit.SECONDS);
                    return onA.send(nodeA, aliceToken, bob);
                });
                Future<ContentResponse> bobRemovesAlice = threads.submit(() -> {
                    together.await(10, TimeUnit.SECONDS);
                    return onB.send(nodeB, bobToken, alice);
                });
                int a = aliceRemovesBob.get(60, TimeUnit.SECONDS).getStatus();
                int b = bobRemovesAlice.get(60, TimeUnit.SECONDS).getStatus();
                List<String> standing = new ArrayList<>();
                for (String id : List.of(alice, bob)) {
                    JsonNode user = nodeA.api("GET", "users/" + id, null).body();
                    JsonNode roles = nodeA.api("GET", "users/" + id + "/roles", null).body();
                    if (user.path("enabled").asBoolean() && roles.path("roles").toString().contains("GLOBAL_ADMINISTRATOR")) {
                        standing.add(user.path("upn").asText());
                    }
                }
                if ((a == 200 && b == 200) || standing.isEmpty()) {
                    wrong.add("round " + round + ": node A answered " + a + ", node B " + b + "; enabled global administrators left: " + standing);
                }
                // Back to two enabled global administrators for the next round (the bootstrap credential may).
                for (String id : List.of(alice, bob)) {
                    assertThat(nodeA.api("POST", "users/" + id + "/enable", null).status()).isEqualTo(200);
                    assertThat(nodeA.api("PUT", "users/" + id + "/roles", Map.of("roles", List.of(AdminRole.GLOBAL_ADMINISTRATOR)))
                            .status()).isEqualTo(200);
                }
            }
        }
        assertThat(wrong).isEmpty();
    }
}
