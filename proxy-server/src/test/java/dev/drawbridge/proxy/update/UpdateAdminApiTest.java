package dev.drawbridge.proxy.update;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.RolloutSettings;
import dev.drawbridge.model.update.UpdateReport;
import dev.drawbridge.model.update.UpdateState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin API of updates on a real server: every admin role against every update route, expected from the roles
 * (reading: those that read connectors; the rollout's settings: those that manage connectors; uploading and deleting
 * bundles, code every connector will run: global administrators only), without a token 401; uploads refused with
 * readable problem bodies; a pinned version must be uploaded; uploads, deletions and settings in the audit log; the
 * connectors' update state and last error in the connector list; rollout events in the connector event log.
 */
class UpdateAdminApiTest {
    static final Set<AdminRole> READERS = EnumSet.of(AdminRole.GLOBAL_ADMINISTRATOR, AdminRole.APPLICATION_ADMINISTRATOR,
            AdminRole.SECURITY_READER);
    static final Set<AdminRole> ROLLOUT_WRITERS = EnumSet.of(AdminRole.GLOBAL_ADMINISTRATOR, AdminRole.APPLICATION_ADMINISTRATOR);
    static final Set<AdminRole> BUNDLE_WRITERS = EnumSet.of(AdminRole.GLOBAL_ADMINISTRATOR);

    @TempDir
    static Path dir;
    static UpdateServer s;
    static Map<AdminRole, String> tokens;
    static int versions;

    @BeforeAll
    static void start() throws Exception {
        s = new UpdateServer(dir.resolve("server"));
        tokens = s.roleTokens();
        s.json(s.bootstrap, "POST", "connector-groups", Map.of("name", "Roles"));
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    static byte[] bundle(String version) throws Exception {
        return Bundles.valid(Files.createTempDirectory(dir, "b"), version);
    }

    static String nextVersion() {
        return "3." + (++versions) + ".0";
    }

    @Test
    void everyRoleAgainstEveryUpdateRoute() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (AdminRole role : AdminRole.values()) {
            String token = tokens.get(role);
            expect(wrong, role + " GET connector-updates", READERS.contains(role), 200, s.json(token, "GET", "connector-updates", null));
            expect(wrong, role + " GET rollout", READERS.contains(role), 200, s.json(token, "GET", "connector-groups/Roles/rollout", null));
            Wire.Reply put = s.json(token, "PUT", "connector-groups/Roles/rollout", new RolloutSettings(role.ordinal() % 2 == 0, ""));
            expect(wrong, role + " PUT rollout", ROLLOUT_WRITERS.contains(role), 200, put);
            String version = nextVersion();
            Wire.Reply up = s.admin(token, "POST", "connector-updates", "application/zip", bundle(version));
            expect(wrong, role + " POST connector-updates", BUNDLE_WRITERS.contains(role), 201, up);
            boolean stored = s.json(s.bootstrap, "GET", "connector-updates", null).json().findValuesAsText("version").contains(version);
            if (stored != BUNDLE_WRITERS.contains(role)) {
                wrong.add(role + " upload stored: " + stored);
            }
            String victim = nextVersion();
            assertThat(s.admin(s.bootstrap, "POST", "connector-updates", "application/zip", bundle(victim)).status()).isEqualTo(201);
            Wire.Reply del = s.json(token, "DELETE", "connector-updates/" + victim, null);
            expect(wrong, role + " DELETE connector-updates", BUNDLE_WRITERS.contains(role), 204, del);
            boolean kept = s.json(s.bootstrap, "GET", "connector-updates", null).json().findValuesAsText("version").contains(victim);
            if (kept == BUNDLE_WRITERS.contains(role)) {
                wrong.add(role + " delete kept the bundle: " + kept);
            }
        }
        assertThat(wrong).isEmpty();
        // The pause set by the last writer is in force: only allowed PUTs changed it.
        assertThat(s.json(s.bootstrap, "GET", "connector-groups/Roles/rollout", null).json().path("paused").asBoolean())
                .isEqualTo(AdminRole.APPLICATION_ADMINISTRATOR.ordinal() % 2 == 0);
    }

    private static void expect(List<String> wrong, String what, boolean allowed, int status, Wire.Reply r) throws Exception {
        if (allowed ? r.status() != status : r.status() != 403 || !r.json().path("detail").asText().contains("permission")) {
            wrong.add(what + " -> " + r);
        }
    }

    @Test
    void withoutATokenOrWithABadOneEveryRouteIs401() throws Exception {
        for (String token : new String[]{null, "not-a-token", tokens.get(AdminRole.GLOBAL_ADMINISTRATOR) + "x"}) {
            assertThat(s.json(token, "GET", "connector-updates", null).status()).isEqualTo(401);
            assertThat(s.admin(token, "POST", "connector-updates", "application/zip", bundle("4.0.0")).status()).isEqualTo(401);
            assertThat(s.json(token, "DELETE", "connector-updates/4.0.0", null).status()).isEqualTo(401);
            assertThat(s.json(token, "GET", "connector-groups/Roles/rollout", null).status()).isEqualTo(401);
            assertThat(s.json(token, "PUT", "connector-groups/Roles/rollout", new RolloutSettings(true, "")).status()).isEqualTo(401);
        }
        assertThat(s.json(s.bootstrap, "GET", "connector-updates", null).json().findValuesAsText("version")).doesNotContain("4.0.0");
    }

    @Test
    void uploadsAreRefusedWithReadableProblems() throws Exception {
        String t = s.bootstrap;
        Wire.Reply type = s.admin(t, "POST", "connector-updates", "application/json", bundle("5.0.0"));
        assertThat(type.status()).isEqualTo(415);
        assertThat(type.headers().get("content-type")).startsWith("application/problem+json");
        assertThat(type.json().path("detail").asText()).isEqualTo("send the bundle as the body with Content-Type: application/zip");
        Wire.Reply notZip = s.admin(t, "POST", "connector-updates", "application/zip", "hello".getBytes(StandardCharsets.UTF_8));
        assertThat(notZip.status()).isEqualTo(400);
        assertThat(notZip.json().path("detail").asText()).isEqualTo("the bundle has no drawbridge-update.properties");
        Wire.Reply traversal = s.admin(t, "POST", "connector-updates", "application/zip", Bundles.zip(List.of(
                Map.entry("drawbridge-update.properties", Bundles.descriptor("drawbridge-connector", "5.0.0").getBytes(StandardCharsets.UTF_8)),
                Map.entry("../../etc/passwd", new byte[]{1}))));
        assertThat(traversal.status()).isEqualTo(400);
        assertThat(traversal.json().path("detail").asText()).startsWith("the bundle holds '../../etc/passwd'");
        Wire.Reply huge = Wire.send(Wire.context(s.server.serverCaCertificate(), null, null), s.server.publicPort(), UpdateServer.ADMIN_HOST,
                "POST", "/api/v1/connector-updates", Map.of("Authorization", "Bearer " + t, "Content-Type", "application/zip",
                        "Content-Length", String.valueOf(300L << 20)), new byte[1024]);
        assertThat(huge.status()).isEqualTo(413);
        assertThat(huge.json().path("detail").asText()).isEqualTo("an update bundle is at most 256 MiB");
        assertThat(s.admin(t, "POST", "connector-updates", "application/zip", bundle("5.0.0")).status()).isEqualTo(201);
        Wire.Reply again = s.admin(t, "POST", "connector-updates", "application/zip", bundle("5.0.0"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("errors").get(0).path("field").asText()).isEqualTo("version");
        assertThat(s.json(t, "DELETE", "connector-updates/5.0.1", null).status()).isEqualTo(404);
    }

    @Test
    void pinningChecksTheVersionAndEveryChangeIsAudited() throws Exception {
        String t = s.bootstrap;
        s.json(t, "POST", "connector-groups", Map.of("name", "Pinned"));
        Wire.Reply notUploaded = s.json(t, "PUT", "connector-groups/Pinned/rollout", new RolloutSettings(false, "6.6.6"));
        assertThat(notUploaded.status()).isEqualTo(400);
        assertThat(notUploaded.json().path("errors").get(0).path("field").asText()).isEqualTo("pinnedVersion");
        assertThat(notUploaded.json().path("errors").get(0).path("message").asText()).contains("'6.6.6' is not uploaded");
        Wire.Reply notVersion = s.json(t, "PUT", "connector-groups/Pinned/rollout", new RolloutSettings(false, "latest"));
        assertThat(notVersion.status()).isEqualTo(400);
        assertThat(notVersion.json().path("errors").get(0).path("field").asText()).isEqualTo("pinnedVersion");
        assertThat(s.json(t, "PUT", "connector-groups/Nowhere/rollout", new RolloutSettings(false, "")).status()).isEqualTo(404);
        assertThat(s.json(t, "GET", "connector-groups/Nowhere/rollout", null).status()).isEqualTo(404);
        assertThat(s.admin(t, "POST", "connector-updates", "application/zip", bundle("6.0.0")).status()).isEqualTo(201);
        Wire.Reply pinned = s.json(t, "PUT", "connector-groups/Pinned/rollout", new RolloutSettings(false, "6.0.0"));
        assertThat(pinned.status()).isEqualTo(200);
        assertThat(pinned.json().path("pinnedVersion").asText()).isEqualTo("6.0.0");
        assertThat(pinned.json().path("targetVersion").asText()).isEqualTo("6.0.0");
        Wire.Reply refused = s.json(t, "DELETE", "connector-updates/6.0.0", null);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("detail").asText()).contains("pinned");
        JsonNode audit = s.json(t, "GET", "audit-logs?action=connector-group.rollout.update", null).json();
        assertThat(audit.path("items").findValuesAsText("targetId")).isNotEmpty();
        assertThat(s.json(t, "GET", "audit-logs?action=connector-update.upload&targetId=6.0.0", null).json().path("total").asInt()).isEqualTo(1);
        s.json(t, "PUT", "connector-groups/Pinned/rollout", new RolloutSettings(false, ""));
        assertThat(s.json(t, "DELETE", "connector-updates/6.0.0", null).status()).isEqualTo(204);
        assertThat(s.json(t, "GET", "audit-logs?action=connector-update.delete&targetId=6.0.0", null).json().path("total").asInt()).isEqualTo(1);
    }

    @Test
    void theConnectorListAndTheRolloutShowWhatConnectorsReportedAndTheEventLogTheTurns() throws Exception {
        String t = s.bootstrap;
        UpdateServer.Identity c = s.register("Reports", "host-q", "1.0.0");
        assertThat(s.admin(t, "POST", "connector-updates", "application/zip", bundle("7.0.0")).status()).isEqualTo(201);
        assertThat(s.report(c, new UpdateReport("1.0.0", UpdateState.IDLE, "", "")).json().path("action").asText()).isEqualTo("UPDATE");
        JsonNode rolling = s.json(t, "GET", "connector-groups/Reports/rollout", null).json();
        assertThat(rolling.path("state").asText()).isEqualTo("ROLLING");
        assertThat(rolling.path("updatingConnectorId").asText()).isEqualTo(c.id());
        s.report(c, new UpdateReport("1.0.0", UpdateState.ROLLED_BACK, "7.0.0", "no tunnel came up within 3 min"));
        JsonNode view = s.json(t, "GET", "connectors/" + c.id(), null).json();
        assertThat(view.path("updateState").asText()).isEqualTo("ROLLED_BACK");
        assertThat(view.path("updateError").asText()).isEqualTo("no tunnel came up within 3 min");
        JsonNode halted = s.json(t, "GET", "connector-groups/Reports/rollout", null).json();
        assertThat(halted.path("state").asText()).isEqualTo("HALTED");
        assertThat(halted.path("haltedReason").asText()).contains("host-q").contains("no tunnel came up within 3 min");
        assertThat(halted.path("connectors").get(0).path("attemptedVersion").asText()).isEqualTo("7.0.0");
        JsonNode events = s.json(t, "GET", "connector-events?connectorId=" + c.id(), null).json();
        assertThat(events.path("items").findValuesAsText("type")).contains("UPDATE_STARTED", "UPDATE_FAILED");
        // A PUT clears the halt.
        assertThat(s.json(t, "PUT", "connector-groups/Reports/rollout", new RolloutSettings(false, "")).json().path("state").asText())
                .isNotEqualTo("HALTED");
    }
}
