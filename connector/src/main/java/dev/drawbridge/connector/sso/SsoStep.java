package dev.drawbridge.connector.sso;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.drawbridge.connector.upstream.ChallengeAuth;
import dev.drawbridge.connector.upstream.ResponseInterceptor;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.api.validation.SsoRules;
import dev.drawbridge.model.sso.SsoIdentity;
import dev.drawbridge.model.sso.SsoInstruction;
import dev.drawbridge.model.tunnel.RequestHead;

import java.util.Objects;

/**
 * The connector's single sign-on step ("the connector performs any additional authentication required on behalf of the
 * user"): for a stream whose OPEN carries the app's instruction, what goes to the app is decided here from the
 * verified identity alone. A stream without a verified identity, with an instruction that cannot be read or checked,
 * or with a method this connector does not know, is refused with the reason; nothing the client sent can stand in.
 */
public final class SsoStep {
    /** A step without Kerberos (no state directory): KERBEROS apps are refused. */
    public static final SsoStep WITHOUT_KERBEROS = new SsoStep(null);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final KerberosStep kerberos;

    /** @param kerberos the group's Kerberos delegation (null: none on this connector) */
    public SsoStep(KerberosStep kerberos) {
        this.kerberos = kerberos;
    }

    /** What the step decided for one stream. */
    public sealed interface Outcome {
        /**
         * Send {@code head} to the app, signing the user in with {@code auth} when it is not null (an app that asks with
         * a 401 challenge: Kerberos).
         */
        record Proceed(RequestHead head, ChallengeAuth auth) implements Outcome {
            public Proceed {
                Objects.requireNonNull(head, "head");
            }

            public Proceed(RequestHead head) {
                this(head, null);
            }
        }

        /**
         * Send {@code head} to the app, and let {@code login} answer the app's login form on the user's behalf
         * (password vaulting for login forms).
         */
        record LogIn(RequestHead head, ResponseInterceptor login) implements Outcome {
            public LogIn {
                Objects.requireNonNull(head, "head");
                Objects.requireNonNull(login, "login");
            }
        }

        /** Refuse the stream; {@code reason} is shown to the user and written to the sign-in log (never a secret). */
        record Refuse(String reason) implements Outcome {
            public Refuse {
                Objects.requireNonNull(reason, "reason");
            }
        }
    }

    /** The step for {@code head} and its user's {@code verification}; a head without an instruction passes unchanged. */
    public Outcome apply(RequestHead head, Verification verification) {
        if (head.sso().isEmpty()) {
            return new Outcome.Proceed(head);
        }
        if (!(verification instanceof Verification.Verified verified)) {
            return new Outcome.Refuse(verification.reason());
        }
        SsoInstruction instruction;
        try {
            instruction = JSON.readValue(head.sso().get(), SsoInstruction.class);
        } catch (Exception e) {
            // A newer server's method or field this connector does not know lands here too.
            return new Outcome.Refuse("this connector cannot read the app's single sign-on settings (update the connector)");
        }
        SsoSettings settings = instruction.settings();
        if (!SsoRules.check(settings).isEmpty()) {
            return new Outcome.Refuse("the app's single sign-on settings are invalid: " + SsoRules.check(settings).getFirst().message());
        }
        SsoIdentity user = verified.user();
        return switch (settings.method()) {
            // SAML happens between the browser and the proxy (the proxy is the identity provider): nothing to add here.
            case NONE, SAML -> new Outcome.Proceed(head);
            case HEADERS -> HeaderSso.apply(head, settings.headers(), user);
            case KERBEROS -> kerberos(head, settings, user);
            case BASIC -> BasicSso.apply(head, instruction.credential());
            case FORMS -> FormsStep.apply(head, settings.forms(), instruction.credential());
        };
    }

    private Outcome kerberos(RequestHead head, SsoSettings settings, SsoIdentity user) {
        if (kerberos == null) {
            return new Outcome.Refuse("this connector has no Kerberos delegation");
        }
        try {
            return new Outcome.Proceed(head, kerberos.prepare(settings.kerberos(), user));
        } catch (ChallengeAuth.RefusedException e) {
            return new Outcome.Refuse(e.getMessage());
        }
    }
}
