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
}
