package dev.drawbridge.proxy.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.cliconfig.LogFormat;
import dev.drawbridge.proxy.web.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --log-format json} turns every output appender of the root logger into JSON lines (logback's JsonEncoder): one
 * object per line with the level, the logger, the formatted message and the MDC (the request id), and a message that
 * holds quotes, backslashes or a line break stays one valid line. {@code text} leaves the configuration alone.
 */
class LogFormatTest {
    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    private final Map<OutputStreamAppender<ILoggingEvent>, Encoder<ILoggingEvent>> saved = new HashMap<>();
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private OutputStreamAppender<ILoggingEvent> capture;

    @BeforeEach
    void addACapturingAppender() {
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> a) {
                saved.put(a, a.getEncoder());
            }
        }
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(context);
        text.setPattern("%level %logger - %msg%n");
        text.start();
        capture = new OutputStreamAppender<>();
        capture.setContext(context);
        capture.setName("capture");
        capture.setEncoder(text);
        capture.setOutputStream(captured);
        capture.start();
        root.addAppender(capture);
    }

    @AfterEach
    void restore() {
        root.detachAppender(capture);
        capture.stop();
        saved.forEach(OutputStreamAppender::setEncoder);
    }

    private List<String> lines() {
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void jsonWritesOneObjectPerLineWithTheRequestId() throws Exception {
        LogFormat.JSON.apply();
        MDC.put("requestId", "7d5c0b9a4f2e41d3a8c61e0f9b2d7a44");
        try {
            LoggerFactory.getLogger("dev.drawbridge.test").warn("a \"quoted\" message with \\ and a\nsecond line for {}", "app-1");
        } finally {
            MDC.remove("requestId");
        }
        assertThat(lines()).hasSize(1);
        JsonNode line = Json.MAPPER.readTree(lines().getFirst());
        assertThat(line.path("level").asText()).isEqualTo("WARN");
        assertThat(line.path("loggerName").asText()).isEqualTo("dev.drawbridge.test");
        assertThat(line.path("formattedMessage").asText()).isEqualTo("a \"quoted\" message with \\ and a\nsecond line for app-1");
        assertThat(line.path("mdc").path("requestId").asText()).isEqualTo("7d5c0b9a4f2e41d3a8c61e0f9b2d7a44");
        assertThat(line.path("timestamp").asLong()).isPositive();
        assertThat(line.has("arguments")).isFalse();
        assertThat(line.has("context")).isFalse();
    }

    @Test
    void textLeavesTheConfiguredPatternAlone() {
        LogFormat.TEXT.apply();
        LoggerFactory.getLogger("dev.drawbridge.test").warn("plain");
        assertThat(lines()).containsExactly("WARN dev.drawbridge.test - plain");
    }
}
