package dev.drawbridge.proxy.apps;

import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AppThrottle;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.proxy.web.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Proves {@link AppValidator}'s checks of an app's own limits: absent, the server's apply; a throttle's rate and burst
 * from 1 to {@link AppThrottle#MAX}; a backend timeout from 1 s to the server's {@code max-backend-timeout} (600 s unless
 * configured), each refusal naming its field, all reported together.
 */
class AppLimitsValidationTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private final AppValidator validator = new AppValidator("apps.example.com", 443);

    private static AppSpec spec(AppThrottle throttle, Integer seconds) {
        return new AppSpec("HR", "https://hr.apps.example.com/", "http://intranet/", null, BackendTimeout.LONG, null, null, null, null,
                null, throttle, seconds);
    }

    private static List<String> fields(AppValidator v, AppSpec spec) {
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> v.validate("id", spec, "g", T, T));
        assertThat(e).as("expected %s to be refused", spec).isNotNull();
        return e.errors().stream().map(Problem.FieldError::field).toList();
    }

    @Test
    void withoutLimitsTheServersApply() throws Exception {
        PublishedApp app = validator.validate("id", spec(null, null), "g", T, T);
        assertThat(app.limits()).isEqualTo(AppLimits.NONE);
        assertThat(app.limits().throttle()).isEmpty();
        assertThat(app.limits().backendTimeout()).isEmpty();
    }

    @Test
    void ownLimitsAreKept() throws Exception {
        PublishedApp app = validator.validate("id", spec(new AppThrottle(5, 20), 300), "g", T, T);
        assertThat(app.limits().throttle()).contains(new AppThrottle(5, 20));
        assertThat(app.limits().backendTimeout()).contains(Duration.ofSeconds(300));
        assertThat(validator.validate("id", spec(null, 600), "g", T, T).limits().backendTimeout()).contains(Duration.ofSeconds(600));
        assertThat(validator.validate("id", spec(new AppThrottle(AppThrottle.MAX, 1), 1), "g", T, T).limits().throttle())
                .contains(new AppThrottle(AppThrottle.MAX, 1));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 601, 86_400, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void aTimeoutOutsideOneSecondToTheMaximumIsRefusedNamingTheField(int seconds) {
        assertThat(fields(validator, spec(null, seconds))).containsExactly("backendTimeoutSeconds");
    }

    @Test
    void theMaximumIsTheServersSetting() throws Exception {
        AppValidator tight = validator.withMaxBackendTimeout(Duration.ofSeconds(120));
        assertThat(fields(tight, spec(null, 121))).containsExactly("backendTimeoutSeconds");
        assertThat(tight.validate("id", spec(null, 120), "g", T, T).limits().backendTimeoutSeconds()).isEqualTo(120);
        AppValidator wide = validator.withMaxBackendTimeout(Duration.ofMinutes(30));
        assertThat(wide.validate("id", spec(null, 1800), "g", T, T).limits().backendTimeoutSeconds()).isEqualTo(1800);
    }

    @Test
    void aThrottleOutOfRangeIsRefusedNamingEachField() {
        assertThat(fields(validator, spec(new AppThrottle(0, 10), null))).containsExactly("throttle.requestsPerSecond");
        assertThat(fields(validator, spec(new AppThrottle(10, 0), null))).containsExactly("throttle.burst");
        assertThat(fields(validator, spec(new AppThrottle(-5, AppThrottle.MAX + 1), 0)))
                .containsExactlyInAnyOrder("throttle.requestsPerSecond", "throttle.burst", "backendTimeoutSeconds");
    }
}
