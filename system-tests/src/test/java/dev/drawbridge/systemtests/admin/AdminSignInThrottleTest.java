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
import java.time.Duration;
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
        // 20 at once, then one every 3 s (SignInLimiter.Limits.DEFAULTS): 20 answered when the attempts are quick, one
        // more for each refill while they ran (in CI under load 30 attempts took 11 s and 23 were answered).
        int refused = 0, answered = 0;
        ContentResponse refusal = null;
        long started = System.nanoTime();
        for (int i = 0; i < 30; i++) {
            // A different account each time: the per-account lockout never triggers.
            ContentResponse r = stack.http().newRequest(stack.adminUrl().resolve("/api/v1/auth/token")).method("POST").timeout(20, TimeUnit.SECONDS)
                    .body(new StringRequestContent("application/json", Json.MAPPER.writeValueAsString(
                            Map.of("username", "user" + i + "@corp.example", "password", "Winter2026!"))))
                    .send();
            if (r.getStatus() == 429) {
                refused++;
                refusal = r;
            } else {
                assertThat(r.getStatus()).isEqualTo(401);
                answered++;
            }
        }
        long refills = Duration.ofNanos(System.nanoTime() - started).toSeconds() / 3 + 1;
        assertThat(answered).as("answered of 30, with at most %d refills", refills).isBetween(20, 20 + (int) refills);
        assertThat(refused).isEqualTo(30 - answered).isPositive();
        assertThat(Integer.parseInt(refusal.getHeaders().get("Retry-After"))).isBetween(1, 3);
        JsonNode problem = Json.MAPPER.readTree(refusal.getContent());
        assertThat(problem.path("status").asInt()).isEqualTo(429);
        JsonNode log = stack.api("GET", "sign-in-logs?event=ADMIN_SIGN_IN&result=FAILURE", null).body();
        // The newest entry may be an attempt admitted after a refill: count the refusals the log names.
        long logged = 0;
        for (JsonNode item : log.path("items")) {
            logged += item.path("reason").asText().equals("too many sign-in attempts from this address") ? 1 : 0;
        }
        assertThat(logged).as("refusals in the sign-in log").isEqualTo(refused);
        // The bootstrap credential is not a sign-in: the API stays usable for admins who already hold a token.
        assertThat(stack.api("GET", "me", null).status()).isEqualTo(200);
    }
}
