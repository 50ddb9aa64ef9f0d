package dev.drawbridge.systemtests.connector;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.Connectors;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.adminclient.Rollback;
import dev.drawbridge.connector.identity.ConnectorIdentity;
import dev.drawbridge.model.DrawbridgeVersion;
import dev.drawbridge.model.api.ConnectorEvent;
import dev.drawbridge.model.api.ConnectorEventType;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.RolloutConnector;
import dev.drawbridge.model.api.RolloutSettings;
import dev.drawbridge.model.api.RolloutState;
import dev.drawbridge.model.api.RolloutView;
import dev.drawbridge.model.update.UpdateState;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.time.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Auto-update end to end, with real processes: a server, and two connectors of one group each running as
 * {@code run --auto-update} (a supervisor process and the connector it starts). An uploaded version reaches the group one
 * connector at a time (never two updating at once; the events alternate started/updated) while requests through the
 * group keep succeeding; a broken version is rolled back by the first connector that tries it, which halts the group
 * (the other never tries); rolling back (pinning a lower version) clears the halt and brings both connectors to it.
 */
class AutoUpdateRolloutTest {
    private static final String INSTALLED = DrawbridgeVersion.current();
    private static final Duration BOUND = Duration.ofMinutes(3);
    private static final Set<UpdateState> UPDATING = EnumSet.of(UpdateState.DOWNLOADING, UpdateState.DRAINING, UpdateState.RESTARTING);
    @TempDir
    static Path dir;
    static SampleApp app;
    static DrawbridgeStack stack;
    static ConnectorProcesses processes;
    static String url;
    static String groupId;
    static final Map<String, Path> LOGS = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        url = stack.publish("Payroll", "payroll", app.baseUri(), PreAuthentication.PASSTHROUGH);
        processes = new ConnectorProcesses(dir.resolve("work"));
        for (String name : List.of("a", "b")) {
            Path state = dir.resolve("connector-" + name);
            ConnectorProcesses.register(stack, null, state);
            Path log = dir.resolve("connector-" + name + ".log");
            LOGS.put(ConnectorIdentity.load(state).connectorId(), log);
            processes.supervisor(state, log, "--tunnels", "2", "--update-check", "1s", "--update-trial", "90s");
        }
        groupId = api().connectorGroups().list(Paging.LARGEST).items().stream().filter(g -> g.name().equals("Default")).findFirst().orElseThrow().id();
        awaitRollout("both connectors connected and reporting", r -> r.connectors().size() == 2
                && r.connectors().stream().allMatch(c -> c.reportedAt() != null && c.version().equals(INSTALLED)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (processes != null) {
            processes.close();
        }
        stack.close();
        app.close();
    }

    private static AdminApi api() throws Exception {
        return stack.adminApi();
    }

    private static RolloutView rollout() throws Exception {
        return api().connectorGroups().rollout(groupId);
    }

    private interface Check {
        boolean holds(RolloutView r) throws Exception;
    }

    private static RolloutView awaitRollout(String what, Check check) throws Exception {
        try {
            Await.until(what, BOUND, () -> {
                try {
                    return check.holds(rollout());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nrollout: " + rollout() + "\n" + logs(), e);
        }
        return rollout();
    }

    private static String logs() throws Exception {
        StringBuilder b = new StringBuilder();
        for (var e : LOGS.entrySet()) {
            String text = Files.readString(e.getValue());
            b.append("--- connector ").append(e.getKey()).append(" (last 4000 chars):\n")
                    .append(text.substring(Math.max(0, text.length() - 4000))).append('\n');
        }
        return b.toString();
    }

    private static List<ConnectorEvent> updateEvents(long after) throws Exception {
        return api().connectors().events(Paging.LARGEST, Connectors.EventFilter.NONE).items().stream()
                .filter(e -> e.id() > after && e.type().name().startsWith("UPDATE"))
                .sorted(Comparator.comparingLong(ConnectorEvent::id)).toList();
    }

    private static long lastEventId() throws Exception {
        return api().connectors().events(Paging.LARGEST, Connectors.EventFilter.NONE).items().stream()
                .mapToLong(ConnectorEvent::id).max().orElse(0);
    }

    private static boolean allOn(RolloutView r, String version) {
        return r.connectors().size() == 2 && r.connectors().stream()
                .allMatch(c -> c.version().equals(version) && c.updateState() == UpdateState.IDLE);
    }

    @Test
    void aVersionRollsOutOneAtATimeAFailedOneHaltsAndRollingBackBringsBothBack() throws Exception {
        // Requests through the group all along.
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();
        Thread load = Thread.ofVirtual().start(() -> {
            int n = 0;
            while (loading.get()) {
                try {
                    var r = stack.http().newRequest(URI.create(url + "echo/" + n++)).timeout(30, TimeUnit.SECONDS).send();
                    if (r.getStatus() == 200) {
                        ok.incrementAndGet();
                    } else {
                        failures.add(r.getStatus() + " " + r.getContentAsString().lines().findFirst().orElse(""));
                    }
                    Thread.sleep(25);
                } catch (Exception e) {
                    failures.add(e.toString());
                }
            }
        });

        // 1. A good version: one connector at a time.
        long before = lastEventId();
        api().connectorUpdates().upload(processes.bundle("9.9.9", null));
        AtomicInteger mostUpdating = new AtomicInteger();
        RolloutView done = awaitRollout("both connectors on 9.9.9", r -> {
            long updating = r.connectors().stream().filter(c -> UPDATING.contains(c.updateState())).count();
            mostUpdating.accumulateAndGet((int) updating, Math::max);
            return allOn(r, "9.9.9") && r.state() == RolloutState.UP_TO_DATE;
        });
        assertThat(done.targetVersion()).isEqualTo("9.9.9");
        assertThat(mostUpdating.get()).as("connectors updating at the same moment").isLessThanOrEqualTo(1);
        List<ConnectorEvent> events = updateEvents(before);
        assertThat(events).extracting(ConnectorEvent::type).containsExactly(ConnectorEventType.UPDATE_STARTED, ConnectorEventType.UPDATED,
                ConnectorEventType.UPDATE_STARTED, ConnectorEventType.UPDATED);
        assertThat(events.get(0).connectorId()).isEqualTo(events.get(1).connectorId());
        assertThat(events.get(2).connectorId()).isEqualTo(events.get(3).connectorId()).isNotEqualTo(events.get(0).connectorId());
        loading.set(false);
        load.join();
        assertThat(failures).as("requests through the group while it updated").isEmpty();
        assertThat(ok.get()).isGreaterThan(20);

        // 2. A broken version (its jars lack the Jetty client): the first connector to try it rolls back; the group halts.
        long beforeBroken = lastEventId();
        api().connectorUpdates().upload(processes.bundle("9.9.10", "jetty-client"));
        RolloutView halted = awaitRollout("the rollout of 9.9.10 halted", r -> r.state() == RolloutState.HALTED
                && r.connectors().stream().anyMatch(c -> c.updateState() == UpdateState.ROLLED_BACK));
        assertThat(halted.haltedReason()).contains("9.9.10");
        RolloutConnector failed = halted.connectors().stream().filter(c -> c.updateState() == UpdateState.ROLLED_BACK).findFirst().orElseThrow();
        assertThat(failed.version()).as("it went back to the version it ran").isEqualTo("9.9.9");
        assertThat(failed.attemptedVersion()).isEqualTo("9.9.10");
        assertThat(failed.lastError()).isNotBlank().doesNotContain("\n");
        List<ConnectorEvent> brokenEvents = updateEvents(beforeBroken);
        assertThat(brokenEvents).extracting(ConnectorEvent::type)
                .containsExactly(ConnectorEventType.UPDATE_STARTED, ConnectorEventType.UPDATE_FAILED);
        assertThat(brokenEvents).extracting(ConnectorEvent::connectorId).containsOnly(failed.id());
        // The halt holds: the other connector keeps reporting (every second) and is never told to try; both keep serving.
        awaitRollout("the other connector reporting twice after the halt", r -> r.connectors().stream()
                .filter(c -> !c.id().equals(failed.id()))
                .allMatch(c -> c.reportedAt() != null && c.reportedAt().isAfter(halted.haltedAt().plusSeconds(2))));
        assertThat(updateEvents(beforeBroken)).hasSize(2);
        assertThat(rollout().connectors()).extracting(RolloutConnector::version).containsOnly("9.9.9");
        assertThat(stack.http().newRequest(URI.create(url + "echo/after-halt")).timeout(30, TimeUnit.SECONDS).send().getStatus())
                .isEqualTo(200);

        // 3. Roll back, as the console and CLI compute it: pin the highest uploaded version below the target (9.9.9).
        var plan = Rollback.plan(rollout(), api().connectorUpdates().list());
        assertThat(plan).isInstanceOf(Rollback.Pin.class);
        String pinned = ((Rollback.Pin) plan).version();
        assertThat(pinned).isEqualTo("9.9.9");
        RolloutView cleared = api().connectorGroups().setRollout(groupId, new RolloutSettings(false, pinned));
        assertThat(cleared.state()).isNotEqualTo(RolloutState.HALTED);
        assertThat(cleared.haltedReason()).isEmpty();
        awaitRollout("the group up to date on the pinned 9.9.9", r -> r.state() == RolloutState.UP_TO_DATE && r.targetVersion().equals("9.9.9"));

        // 4. Further back: the version the package installed, uploaded as a bundle and pinned; both connectors go down to it.
        api().connectorUpdates().upload(processes.bundle(INSTALLED, null));
        api().connectorGroups().setRollout(groupId, new RolloutSettings(false, INSTALLED));
        RolloutView back = awaitRollout("both connectors back on " + INSTALLED, r -> allOn(r, INSTALLED) && r.state() == RolloutState.UP_TO_DATE);
        Map<String, String> versions = back.connectors().stream().collect(Collectors.toMap(RolloutConnector::id, RolloutConnector::version));
        assertThat(versions.values()).containsOnly(INSTALLED);
        assertThat(stack.http().newRequest(URI.create(url + "echo/end")).timeout(30, TimeUnit.SECONDS).send().getStatus()).isEqualTo(200);
    }
}
