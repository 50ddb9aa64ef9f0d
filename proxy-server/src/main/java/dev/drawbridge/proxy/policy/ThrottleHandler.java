package dev.drawbridge.proxy.policy;

import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.Routed;
import dev.drawbridge.proxy.edge.ProxyFailure;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.time.Duration;
import java.util.Optional;

/**
 * Throttling, after app routing in the app chain: a request over the server's or its app's rate
 * ({@link Throttle}) is answered 429 with {@code Retry-After}, before any authentication work.
 */
public final class ThrottleHandler extends Handler.Wrapper {
    private final Throttle throttle;
    private final Listener listener;

    /** Told of every request throttled (metrics). */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = (app, scope) -> { };

        void throttled(PublishedApp app, Throttle.Scope scope);
    }

    public ThrottleHandler(Throttle throttle) {
        this(throttle, Listener.NONE);
    }

    public ThrottleHandler(Throttle throttle, Listener listener) {
        this.throttle = throttle;
        this.listener = listener;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        PublishedApp app = Routed.ATTRIBUTE.get(request).app();
        Optional<Throttle.Limited> limited = throttle.check(app);
        if (limited.isPresent()) {
            listener.throttled(app, limited.get().scope());
            Duration wait = limited.get().retryAfter();
            new ProxyFailure.Throttled(app.name(), Math.max(1, (wait.toMillis() + 999) / 1000)).respond(response, callback);
            return true;
        }
        return super.handle(request, response, callback);
    }
}
