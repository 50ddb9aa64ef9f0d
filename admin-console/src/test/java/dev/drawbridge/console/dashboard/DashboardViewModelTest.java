package dev.drawbridge.console.dashboard;

import dev.drawbridge.adminclient.Logs;
import dev.drawbridge.console.FakeAdminApi;
import dev.drawbridge.console.SyncTasks;
import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.AdminRole.Permission;
import dev.drawbridge.model.api.CertificateView;
import dev.drawbridge.model.api.ConnectorStatus;
import dev.drawbridge.model.api.ConnectorView;
import dev.drawbridge.model.api.SignInEvent;
import dev.drawbridge.model.api.SignInLogEntry;
import dev.drawbridge.model.api.SignInResult;
import dev.drawbridge.model.api.SignInStats;
import dev.drawbridge.model.update.UpdateState;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DashboardViewModelTest {
    static SignInLogEntry entry(String at, String result) {
        return new SignInLogEntry(1, Instant.parse(at), SignInEvent.SIGN_IN, SignInResult.valueOf(result), null, null, "a@x", null, null,
                "127.0.0.1", AccessPolicy.ClientType.BROWSER, false, null);
    }

    @Test
    void countsSuccessesAndDenialsPerHourWhenTheServerHasNoStats() {
        Instant from = Instant.parse("2026-11-25T00:00:00Z");
        List<SignInStats.Bucket> b = DashboardViewModel.bucket(List.of(entry("2026-11-25T00:10:00Z", "SUCCESS"),
                entry("2026-11-25T00:50:00Z", "DENIED"), entry("2026-11-25T02:00:00Z", "FAILURE"),
                entry("2026-11-25T02:30:00Z", "INTERRUPTED"), entry("2026-11-24T23:59:00Z", "SUCCESS")), from);
        assertThat(b).hasSize(24);
        assertThat(b.get(0)).isEqualTo(new SignInStats.Bucket(from, 1, 1));
        assertThat(b.get(2).denied()).isEqualTo(1);
        assertThat(b.get(2).succeeded()).isZero();
    }

    /** The chart counts sign-ins: whole steps from 0, never 0.5 of a sign-in, and 0 to 5 on a quiet day. */
    @Test
    void theCountAxisHasWholeStepsAndRoomForTheBusiestHour() {
        assertThat(DashboardViewModel.Axis.fitting(0)).isEqualTo(new DashboardViewModel.Axis(5, 1));
        assertThat(DashboardViewModel.Axis.fitting(3)).isEqualTo(new DashboardViewModel.Axis(5, 1));
        assertThat(DashboardViewModel.Axis.fitting(8)).isEqualTo(new DashboardViewModel.Axis(8, 1));
        assertThat(DashboardViewModel.Axis.fitting(15)).isEqualTo(new DashboardViewModel.Axis(16, 2));
        assertThat(DashboardViewModel.Axis.fitting(17)).isEqualTo(new DashboardViewModel.Axis(20, 5));
        assertThat(DashboardViewModel.Axis.fitting(230)).isEqualTo(new DashboardViewModel.Axis(250, 50));
        for (long max = 0; max < 5000; max += 7) {
            DashboardViewModel.Axis a = DashboardViewModel.Axis.fitting(max);
            assertThat(a.upper()).as("max %d", max).isGreaterThanOrEqualTo(max);
            assertThat(a.upper() % a.tick()).isZero();
            assertThat(a.upper() / a.tick()).isBetween(1L, 8L);
        }
    }

    @Test
    void theAxisFollowsTheBusiestHourShown() {
        FakeAdminApi api = new FakeAdminApi();
        SyncTasks tasks = new SyncTasks();
        DashboardViewModel vm = new DashboardViewModel(api.session(new Permissions(Set.of(Permission.LOGS_READ))), tasks,
                Clock.systemUTC());
        Instant h = Instant.parse("2026-11-25T10:00:00Z");
        api.stats = new SignInStats(List.of(new SignInStats.Bucket(h, 9, 3), new SignInStats.Bucket(h.plusSeconds(3600), 2, 0)));
        vm.refresh();
        assertThat(api.body("logs.signInStats")).isEqualTo(new Logs.StatsWindow(24));
        assertThat(vm.axisProperty().get()).isEqualTo(new DashboardViewModel.Axis(12, 2));
        assertThat(vm.signInSourceProperty().get()).isEqualTo("Last 24 hours");
        // A role without CONNECTORS_READ or CERTIFICATES_READ: the dashboard asks for nothing else.
        assertThat(api.calls()).containsExactly("logs.signInStats");
        api.stats = new SignInStats(List.of());
        vm.refresh();
        assertThat(vm.axisProperty().get()).isEqualTo(new DashboardViewModel.Axis(5, 1));
    }

    /** A server without statistics (404): the chart counts the latest sign-in log entries of the last 24 hours itself. */
    @Test
    void withoutStatisticsTheChartCountsTheSignInLog() {
        FakeAdminApi api = new FakeAdminApi();
        SyncTasks tasks = new SyncTasks();
        Clock clock = Clock.fixed(Instant.parse("2026-11-25T10:30:00Z"), ZoneOffset.UTC);
        DashboardViewModel vm = new DashboardViewModel(api.session(new Permissions(Set.of(Permission.LOGS_READ))), tasks, clock);
        api.signIns.add(entry("2026-11-25T10:10:00Z", "SUCCESS"));
        api.signIns.add(entry("2026-11-25T10:20:00Z", "DENIED"));
        vm.refresh();
        assertThat(((Logs.SignInFilter) api.body("logs.signIns")).from()).isEqualTo(Instant.parse("2026-11-24T11:00:00Z"));
        assertThat(vm.signInSourceProperty().get()).contains("counted from the latest 1000 sign-in log entries");
        assertThat(vm.signIns()).hasSize(24);
        assertThat(vm.signIns().getLast()).isEqualTo(new SignInStats.Bucket(Instant.parse("2026-11-25T10:00:00Z"), 1, 1));
    }

    /** Certificates (uploaded ones and connectors' client certificates) that expire within 30 days are listed, soonest first. */
    @Test
    void certificatesExpiringWithinThirtyDaysAreListedSoonestFirst() {
        FakeAdminApi api = new FakeAdminApi();
        Instant now = Instant.parse("2026-11-25T10:30:00Z");
        DashboardViewModel vm = new DashboardViewModel(api.session(), new SyncTasks(), Clock.fixed(now, ZoneOffset.UTC));
        api.stats = new SignInStats(List.of());
        api.certificates.put("c1", new CertificateView("c1", List.of("hr.example.com"), "CN=hr", "CN=CA", now, now.plus(Duration.ofDays(20)),
                "ab", now, 20));
        api.certificates.put("c2", new CertificateView("c2", List.of("wiki.example.com"), "CN=wiki", "CN=CA", now,
                now.plus(Duration.ofDays(90)), "ab", now, 90));
        api.connectors.put("k1", new ConnectorView("k1", "g1", "Default", "vm", "1.0", ConnectorStatus.ACTIVE, 2, now, now,
                now.plus(Duration.ofDays(3)), UpdateState.IDLE, ""));
        api.connectors.put("k2", new ConnectorView("k2", "g1", "Default", "old", "1.0", ConnectorStatus.REVOKED, 0, now, now,
                now.plus(Duration.ofDays(1)), UpdateState.IDLE, ""));
        vm.refresh();
        assertThat(vm.expiring()).extracting(DashboardViewModel.Expiring::name).containsExactly("vm (Default)", "hr.example.com");
        assertThat(vm.expiring().getFirst().daysLeft()).isEqualTo(3);
    }
}
