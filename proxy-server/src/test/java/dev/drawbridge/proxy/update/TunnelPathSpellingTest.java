package dev.drawbridge.proxy.update;

import dev.drawbridge.proxy.registration.RenewalHandler;
import dev.drawbridge.proxy.tunnel.TunnelHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tunnel port answers each connector endpoint only at its exact path as sent, as the update endpoints do
 * ({@link UpdateEndpointsTest#everyOtherSpellingOfEachPathReachesNoEndpoint}): {@link TunnelHandler} looks endpoints up by
 * the raw path, so percent-encoded, {@code ;}-parameter, dot-segment and double-slash spellings of
 * {@code /connector/v1/renew} do not reach {@link RenewalHandler} (which checks no path of its own: a GET would get its
 * 405) and those of {@code /connector/v1/tunnel} do not reach the tunnel upgrade (its 400 "WebSocket upgrade required").
 * Found by a security review: the handler looked endpoints up by the decoded, normalised path.
 */
class TunnelPathSpellingTest {
    @TempDir
    static Path dir;
    static UpdateServer s;

    @BeforeAll
    static void start() throws Exception {
        s = new UpdateServer(dir.resolve("server"));
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    @Test
    void everyOtherSpellingOfTheRenewalAndTunnelPathsIs404() throws Exception {
        UpdateServer.Identity c = s.register("PathSpellings", "host-p", "1.0.0");
        // The exact paths do reach their handlers (so a 404 below is the router's, not a broken setup).
        assertThat(s.tunnel(c, "GET", RenewalHandler.PATH, null, null).status()).isEqualTo(405);
        assertThat(s.tunnel(c, "GET", TunnelHandler.PATH, null, null).status()).isEqualTo(400);
        List<String> reached = new ArrayList<>();
        for (String path : List.of(RenewalHandler.PATH, TunnelHandler.PATH)) {
            for (String spelling : UpdateEndpointsTest.spellings(path)) {
                Wire.Reply r = s.tunnel(c, "GET", spelling, null, null);
                // 404 from the router, or 400 from Jetty refusing an ambiguous URI: either way no handler saw it.
                boolean refused = r.status() == 404 || r.status() == 400 && !r.text().contains("WebSocket upgrade required");
                if (!refused) {
                    reached.add(spelling + " -> " + r.status());
                }
            }
        }
        assertThat(reached).as("spellings that reached the renewal or tunnel handler").isEmpty();
    }
}
