package dev.drawbridge.systemtests.operations;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drawbridge.cliconfig.LogFormat;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything both programs of an in-process stack log while it is open, captured by an extra appender on the root
 * logger: as JSON lines (the encoder {@code --log-format json} installs) or as text with the request id and full stack
 * traces. The loggers named are set to the levels given meanwhile, and restored on close.
 */
final class LogCapture implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    private final Map<Logger, Level> previous = new HashMap<>();

    private LogCapture(Encoder<ILoggingEvent> encoder, Map<String, Level> levels) {
        levels.forEach((name, level) -> {
            Logger l = context.getLogger(name);
            previous.put(l, l.getLevel());
            l.setLevel(level);
        });
        appender.setContext(context);
        appender.setName("capture");
        appender.setEncoder(encoder);
        appender.setOutputStream(out);
        appender.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    }

    /** JSON lines, as {@code --log-format json} writes them. */
    static LogCapture json(Map<String, Level> levels) {
        return new LogCapture(LogFormat.jsonEncoder((LoggerContext) LoggerFactory.getILoggerFactory()), levels);
    }

    /** Text with the MDC, the arguments formatted in, and every throwable's full stack and messages. */
    static LogCapture text(Map<String, Level> levels) {
        PatternLayoutEncoder e = new PatternLayoutEncoder();
        e.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        e.setPattern("%level %logger [%mdc] %msg%n%ex{full}");
        e.start();
        return new LogCapture(e, levels);
    }

    /** Everything captured so far. */
    synchronized String text() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Every line captured so far, each parsed as JSON (fails on a line that is not). */
    List<JsonNode> jsonLines() {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : text().lines().toList()) {
            try {
                lines.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new UncheckedIOException("not a JSON line: " + line, e);
            }
        }
        return lines;
    }

    @Override
    public void close() {
        context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
        appender.stop();
        previous.forEach(Logger::setLevel);
    }
}
