package dev.drawbridge.proxy.web;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.drawbridge.proxy.identity.SettableClock;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reaching a listener's limit is said at WARN (Jetty's own line is at INFO, below its loggers' level), at most once a
 * minute, with how often it was reached meanwhile: a client holding the port at its limit cannot fill the log.
 */
class ListenerLimitWarningTest {
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(ListenerLimit.class);
    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-07T12:00:00Z"));
    private ListenerLimit limit;

    @BeforeEach
    void attach() {
        log.start();
        logger.addAppender(log);
        Server server = new Server();
        limit = ListenerLimit.apply(server, new ServerConnector(server), 1, "public", "--max-connections", clock);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(log);
    }

    @Test
    void atMostOnceAMinuteCountingTheTimesBetween() {
        reachAndLeave();
        assertThat(warnings()).containsExactly("the public listener holds its limit of 1 open connections (--max-connections;"
                + " reached 1 time(s) since the last warning): new connections wait in the backlog until one closes");

        for (int i = 0; i < 100; i++) {
            reachAndLeave();
        }
        clock.advance(Duration.ofSeconds(59));
        reachAndLeave();
        assertThat(warnings()).hasSize(1);

        clock.advance(Duration.ofSeconds(1));
        reachAndLeave();
        assertThat(warnings()).hasSize(2);
        assertThat(warnings().getLast()).contains("(--max-connections; reached 102 time(s) since the last warning)");
    }

    /** One connection accepted at the limit of 1, then closed. */
    private void reachAndLeave() {
        limit.onAccepting(null);
        limit.onAccepted(null);
        limit.onClosed(null);
    }

    private List<String> warnings() {
        return log.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    }
}
