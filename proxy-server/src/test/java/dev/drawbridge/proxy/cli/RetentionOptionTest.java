package dev.drawbridge.proxy.cli;

import dev.drawbridge.proxy.config.ServerConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code serve --sign-in-log-retention}, {@code --audit-log-retention} and {@code --connector-event-retention}: 30 days (the audit log a year)
 * each unless given; a duration from 1 day to 3650 days, or {@code off} to keep the log forever; anything else is refused
 * with a sentence naming the field and the option.
 */
class RetentionOptionTest {
    private static ServerConfig parse(String... args) {
        ServerCli.Serve serve = new ServerCli.Serve();
        new CommandLine(serve).parseArgs(args);
        return serve.config();
    }

    @Test
    void thirtyDaysForSignInsAndConnectorEventsAndAYearForTheAuditLogUnlessGiven() {
        ServerConfig.Retention r = parse().retention();
        assertThat(r).isEqualTo(ServerConfig.Retention.DEFAULTS);
        assertThat(r.signInLog()).contains(Duration.ofDays(30));
        assertThat(r.connectorEvents()).contains(Duration.ofDays(30));
        assertThat(r.auditLog()).contains(Duration.ofDays(365));
        assertThat(ServerConfig.defaults(Path.of("x")).retention()).isEqualTo(ServerConfig.Retention.DEFAULTS);
    }

    @Test
    void eachLogHasItsOwnAndOffKeepsItForever() {
        ServerConfig c = parse("--sign-in-log-retention", "90d", "--audit-log-retention", "OFF", "--connector-event-retention", "P7D");
        assertThat(c.retention()).isEqualTo(new ServerConfig.Retention(Optional.of(Duration.ofDays(90)), Optional.empty(),
                Optional.of(Duration.ofDays(7))));
        assertThat(c.problems()).isEmpty();
    }

    @Test
    void outOfRangeOrNoDurationIsRefusedNamingTheFieldAndOption() {
        assertThat(parse("--sign-in-log-retention", "12h", "--audit-log-retention", "3651d", "--connector-event-retention", "0s").problems())
                .containsExactly(
                        "retention.signInLog: must be from 1 day to 3650 days, or off to keep the log forever (--sign-in-log-retention)",
                        "retention.auditLog: must be from 1 day to 3650 days, or off to keep the log forever (--audit-log-retention)",
                        "retention.connectorEvents: must be from 1 day to 3650 days, or off to keep the log forever (--connector-event-retention)");
        assertThatThrownBy(() -> parse("--audit-log-retention", "forever")).isInstanceOf(ServerConfig.InvalidConfigException.class)
                .hasMessageContaining("retention.auditLog: 'forever' is not a duration such as 15m, 1h or PT15M (--audit-log-retention)");
    }
}
