package dev.drawbridge.connector.http;

import dev.drawbridge.model.http.RequestIds;
import dev.drawbridge.model.tunnel.RequestHead;
import org.slf4j.MDC;

import java.util.Optional;

/**
 * The request id the proxy sent with a stream ({@link RequestIds#of}), in the log context (MDC key
 * {@value RequestIds#MDC_KEY}) while the connector works on that stream, so its log lines carry the same id as the
 * proxy's. The id only correlates logs.
 */
public final class RequestContext {
    private RequestContext() {
    }

    /** Puts the stream's id in the log context until the returned handle is closed (restoring what was there). */
    public static Scope enter(RequestHead head) {
        Optional<String> id = RequestIds.of(head);
        String outer = MDC.get(RequestIds.MDC_KEY);
        if (id.isPresent()) {
            MDC.put(RequestIds.MDC_KEY, id.get());
        } else {
            MDC.remove(RequestIds.MDC_KEY);
        }
        return () -> {
            if (outer == null) {
                MDC.remove(RequestIds.MDC_KEY);
            } else {
                MDC.put(RequestIds.MDC_KEY, outer);
            }
        };
    }

    /** {@code task}, run with the stream's id in the log context (for a thread of its own). */
    public static Runnable with(RequestHead head, Runnable task) {
        return () -> {
            try (Scope ignored = enter(head)) {
                task.run();
            }
        };
    }

    /** A log context entered; close to leave it. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
