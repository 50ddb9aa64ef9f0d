package dev.drawbridge.connector.sso;

import dev.drawbridge.connector.upstream.ChallengeAuth;
import dev.drawbridge.connector.upstream.ResponseInterceptor;
import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.ResetCode;
import dev.drawbridge.model.tunnel.TunnelStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Where a stream meets single sign-on on the connector, before it goes to the app: {@link SsoStep} decides from the
 * stream's verified user what the app receives; a stream it refuses (its app has a single sign-on method and there is
 * no verified user, or the method cannot be carried out) is reset here with {@link ResetCode#SSO_REFUSED} and the
 * reason, so the proxy shows the user a page and writes the sign-in log, and the request never reaches the app.
 * {@link #observe} sees each stream's verification.
 */
public final class SsoGate {
    private static final Logger LOG = LoggerFactory.getLogger(SsoGate.class);
    private volatile BiConsumer<RequestHead, Verification> observer = (head, user) -> { };
    private final SsoStep step;

    /** A gate without Kerberos delegation. */
    public SsoGate() {
        this(SsoStep.WITHOUT_KERBEROS);
    }

    public SsoGate(SsoStep step) {
        this.step = step;
    }

    /** Told of every stream and its user's verification (on the tunnel's reader thread: must not block). */
    public void observe(BiConsumer<RequestHead, Verification> observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /**
     * What to send to the app for {@code stream} (the head, and how to sign the user in when the app asks); empty when
     * single sign-on refused it (it is reset here).
     */
    public Optional<SsoStep.Outcome.Proceed> admit(TunnelStream stream, Verification user) {
        return admission(stream, user).map(a -> new SsoStep.Outcome.Proceed(a.head(), a.auth()));
    }

    /**
     * What goes to the app for a stream admitted by single sign-on: the head, how to answer the app's challenge (null:
     * none), and what looks at the app's answer first (a login form answered on the user's behalf).
     */
    public record Admission(RequestHead head, ChallengeAuth auth, Optional<ResponseInterceptor> interceptor) {
        public Admission {
            Objects.requireNonNull(head, "head");
            Objects.requireNonNull(interceptor, "interceptor");
        }
    }

    /** As {@link #admit}, with the step (if any) that answers the app's login form on the user's behalf. */
    public Optional<Admission> admission(TunnelStream stream, Verification user) {
        observer.accept(stream.request(), user);
        return switch (step.apply(stream.request(), user)) {
            case SsoStep.Outcome.Proceed p -> Optional.of(new Admission(p.head(), p.auth(), Optional.empty()));
            case SsoStep.Outcome.LogIn l -> Optional.of(new Admission(l.head(), null, Optional.of(l.login())));
            case SsoStep.Outcome.Refuse r -> {
                LOG.info("app {}: single sign-on refused for {}: {}", stream.request().appId(),
                        user.identity().map(u -> u.upn()).orElse("a request without a verified user"), r.reason());
                stream.reset(ResetCode.SSO_REFUSED, "single sign-on refused: " + r.reason());
                yield Optional.empty();
            }
        };
    }
}
