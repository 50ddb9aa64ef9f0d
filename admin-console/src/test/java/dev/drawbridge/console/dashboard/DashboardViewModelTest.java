package dev.drawbridge.console.dashboard;

import dev.drawbridge.model.api.SignInLogEntry;
import dev.drawbridge.model.api.SignInStats;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DashboardViewModelTest {
    static SignInLogEntry entry(String at, String result) {
        return new SignInLogEntry(1, Instant.parse(at), "SIGN_IN", result, null, null, "a@x", null, null, "127.0.0.1",
                "BROWSER", false, null);
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
        dev.drawbridge.console.FakeApi api = new dev.drawbridge.console.FakeApi();
        dev.drawbridge.console.SyncTasks tasks = new dev.drawbridge.console.SyncTasks();
        DashboardViewModel vm = new DashboardViewModel(new dev.drawbridge.console.session.Session(api, "admin", List.of(),
                new dev.drawbridge.console.session.Permissions(java.util.Set.of(dev.drawbridge.model.api.AdminRole.Permission.LOGS_READ)),
                java.util.Optional.empty()), tasks, java.time.Clock.systemUTC());
        Instant h = Instant.parse("2026-11-25T10:00:00Z");
        api.answer("GET stats/sign-ins?hours=24", new SignInStats(List.of(new SignInStats.Bucket(h, 9, 3),
                new SignInStats.Bucket(h.plusSeconds(3600), 2, 0))));
        vm.refresh();
        assertThat(vm.axisProperty().get()).isEqualTo(new DashboardViewModel.Axis(12, 2));
        api.answer("GET stats/sign-ins?hours=24", new SignInStats(List.of()));
        vm.refresh();
        assertThat(vm.axisProperty().get()).isEqualTo(new DashboardViewModel.Axis(5, 1));
    }
}
