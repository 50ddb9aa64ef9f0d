package dev.drawbridge.console.session;

import dev.drawbridge.console.session.StatusLine.Level;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

class StatusLineTest {
    Instant now = Instant.parse("2026-11-25T12:00:00Z");
    final StatusLine status = new StatusLine(new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    });
    final Object users = "Users & groups", apps = "Applications";

    @Test
    void aNoticeStaysWithTheScreenThatRaisedIt() {
        status.screenShown(users);
        assertThat(status.textProperty().get()).isEqualTo("Ready");
        status.raised(Level.INFO, users, "Identity provider saved", "Register https://login.example/federation/callback\nat the provider");
        assertThat(status.textProperty().get()).isEqualTo("Identity provider saved — Register https://login.example/federation/callback");
        status.screenShown(apps);
        assertThat(status.textProperty().get()).isEqualTo("Ready");
        assertThat(status.levelProperty().get()).isNull();
    }

    @Test
    void aNoticeOfAScreenNotShownStaysOutOfTheBar() {
        status.screenShown(apps);
        status.raised(Level.ERROR, users, "Could not save", "late answer");
        assertThat(status.textProperty().get()).isEqualTo("Ready");
        assertThat(status.isShown(users)).isFalse();
        // The window's own notices (no screen) belong to the screen shown.
        status.raised(Level.WARNING, null, "Not available on this server", "");
        assertThat(status.textProperty().get()).isEqualTo("Not available on this server");
        assertThat(status.levelProperty().get()).isEqualTo(Level.WARNING);
    }

    @Test
    void informationGoesOnceReadErrorsStayUntilDismissedOrReplaced() {
        status.screenShown(apps);
        status.raised(Level.INFO, apps, "App saved", "HR");
        now = now.plus(StatusLine.INFO_LIFE).minusSeconds(1);
        status.tick();
        assertThat(status.textProperty().get()).isEqualTo("App saved — HR");
        now = now.plusSeconds(1);
        status.tick();
        assertThat(status.textProperty().get()).isEqualTo("Ready");

        status.raised(Level.ERROR, apps, "Could not save HR", "another app uses https://hr/");
        now = now.plus(Duration.ofHours(1));
        status.tick();
        assertThat(status.textProperty().get()).isEqualTo("Could not save HR — another app uses https://hr/");
        assertThat(status.levelProperty().get()).isEqualTo(Level.ERROR);
        status.raised(Level.INFO, apps, "App saved", "HR");
        assertThat(status.levelProperty().get()).isEqualTo(Level.INFO);
        status.raised(Level.ERROR, apps, "Could not delete HR", "");
        status.dismiss();
        assertThat(status.textProperty().get()).isEqualTo("Ready");
    }
}
