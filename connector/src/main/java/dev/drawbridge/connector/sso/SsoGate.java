package dev.drawbridge.connector.sso;

import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.ResetCode;
import dev.drawbridge.model.tunnel.TunnelStream;

import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Where a stream meets single sign-on on the connector, before it goes to the app: a stream that needs its user
 * (its app has an SSO method) and has no verified identity is refused here, reset with the reason, so nothing the
 * client sent can stand in for the user. Which streams need one is {@link #requireWhen} (nothing yet: the SSO
 * instruction travels in the OPEN in the next step of issue 10); {@link #observe} sees each stream's verification.
 */
public final class SsoGate {
    private volatile Predicate<RequestHead> required = head -> false;
    private volatile BiConsumer<RequestHead, Verification> observer = (head, user) -> { };

    /** Streams whose heads match {@code rule} must carry a verified identity. */
    public void requireWhen(Predicate<RequestHead> rule) {
        this.required = Objects.requireNonNull(rule, "rule");
    }

    /** Told of every stream and its user's verification (on the tunnel's reader thread: must not block). */
    public void observe(BiConsumer<RequestHead, Verification> observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /** Whether {@code stream} may go on to its app; if not, it is reset here with the reason. */
    public boolean admit(TunnelStream stream, Verification user) {
        observer.accept(stream.request(), user);
        if (required.test(stream.request()) && !(user instanceof Verification.Verified)) {
            stream.reset(ResetCode.UPSTREAM_ERROR, "single sign-on refused: " + user.reason());
            return false;
        }
        return true;
    }
}
