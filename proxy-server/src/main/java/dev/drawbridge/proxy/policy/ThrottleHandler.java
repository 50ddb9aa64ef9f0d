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

    public ThrottleHandler(Throttle throttle) {
        this.throttle = throttle;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        PublishedApp app = Routed.ATTRIBUTE.get(request).app();
        Optional<Duration> wait = throttle.admit(app.id());
        if (wait.isPresent()) {
            new ProxyFailure.Throttled(app.name(), Math.max(1, (wait.get().toMillis() + 999) / 1000)).respond(response, callback);
            return true;
        }
        return super.handle(request, response, callback);
    }
}
