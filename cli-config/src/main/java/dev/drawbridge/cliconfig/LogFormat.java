package dev.drawbridge.cliconfig;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.Context;
import ch.qos.logback.core.OutputStreamAppender;
import org.slf4j.LoggerFactory;

import java.util.Iterator;

/**
 * How the server and the connector write their log: {@code --log-format text} (the configured pattern, the default) or {@code json}: one
 * JSON object per line (logback's {@link JsonEncoder}: timestamp, level, thread, logger, the MDC with the request id,
 * the formatted message, the throwable), for log collectors. The switch replaces the encoder of every output appender
 * of the root logger (the console in the shipped configuration), so a custom logback configuration keeps its
 * appenders and levels.
 */
public enum LogFormat {
    TEXT, JSON;

    /** Applies this format to logback's root appenders (text leaves the configuration as it is). */
    public void apply() {
        if (this == TEXT || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> out) {
                // Swapped in place: stopping would close the appender's stream (a plain OutputStreamAppender cannot reopen it).
                out.setEncoder(jsonEncoder(context));
            }
        }
    }

    /**
     * The JSON encoder both programs use: the formatted message instead of the pattern and its arguments, no logger
     * context, no sequence numbers.
     */
    public static JsonEncoder jsonEncoder(Context context) {
        JsonEncoder e = new JsonEncoder();
        e.setContext(context);
        e.setWithSequenceNumber(false);
        e.setWithNanoseconds(false);
        e.setWithContext(false);
        e.setWithMessage(false);
        e.setWithArguments(false);
        e.setWithFormattedMessage(true);
        e.start();
        return e;
    }
}
