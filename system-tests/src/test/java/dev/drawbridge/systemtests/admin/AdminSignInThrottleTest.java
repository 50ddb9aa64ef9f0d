package dev.drawbridge.systemtests.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.proxy.web.Json;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.StringRequestContent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Password spraying from one address: after a burst of admin sign-in attempts the address waits (429 + Retry-After). */
class AdminSignInThrottleTest {
    @TempDir
    static Path dir;
    static DrawbridgeStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    void manyAccountsFromOneAddressAreSlowedDown() throws Exception {
        int refused = 0, answered = 0;
        ContentResponse last = null;
        for (int i = 0; i < 30; i++) {
            // A different account each time: the per-account lockout never triggers.
            last = stack.http().newRequest(stack.adminUrl().resolve("/api/v1/auth/token")).method("POST").timeout(20, TimeUnit.SECONDS)
                    .body(new StringRequestContent("application/json", Json.MAPPER.writeValueAsString(
                            Map.of("username", "user" + i + "@corp.example", "password", "Winter2026!"))))
                    .send();
            if (last.getStatus() == 429) {
                refused++;
            } else {
                assertThat(last.getStatus()).isEqualTo(401);
                answered++;
            }
        }
        assertThat(answered).isBetween(20, 22);
        assertThat(refused).isEqualTo(30 - answered);
        assertThat(Integer.parseInt(last.getHeaders().get("Retry-After"))).isBetween(1, 3);
        JsonNode problem = Json.MAPPER.readTree(last.getContent());
        assertThat(problem.path("status").asInt()).isEqualTo(429);
        JsonNode log = stack.api("GET", "sign-in-logs?event=ADMIN_SIGN_IN&result=FAILURE", null).body();
        assertThat(log.path("items").get(0).path("reason").asText()).isEqualTo("too many sign-in attempts from this address");
        // The bootstrap credential is not a sign-in: the API stays usable for admins who already hold a token.
        assertThat(stack.api("GET", "me", null).status()).isEqualTo(200);
    }
}
