package dev.drawbridge.proxy.dispatch;

import dev.drawbridge.model.sso.SsoInstruction;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.edge.ProxyFailure;
import dev.drawbridge.proxy.preauth.Identity;

import java.util.Objects;

/**
 * Password vaulting's part in dispatch (HTTP Basic, docs/sso.md): the stored user name and password a signed-in user's
 * request to a {@code BASIC} app carries to the connector (in the OPEN's single sign-on instruction, for that stream
 * only), what the user gets instead when there is none to send, and what answers the backend's refusal of it.
 */
public interface PasswordVaulting {
    /** No vault: a request to a BASIC app is refused with a page saying so (dispatchers in tests that need none). */
    PasswordVaulting NONE = new PasswordVaulting() {
        @Override
        public Decision before(Attempt attempt) {
            return new Decision.Fail(new ProxyFailure.SsoRefused(attempt.app().name(), "password vaulting is not available here"));
        }

        @Override
        public Decision refused(Attempt attempt, Decision.Send sent) {
            return before(attempt);
        }
    };

    /**
     * One request to a BASIC app.
     *
     * @param browser   a browser's page navigation (the app session cookie, HTML accepted): it may be redirected; any
     *                  other client gets a problem it can read
     * @param returnUrl where the user goes back to after storing a password (the request's URL on the app's origin)
     */
    record Attempt(PublishedApp app, Identity user, boolean browser, String returnUrl, String clientIp) {
        public Attempt {
            Objects.requireNonNull(app, "app");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(returnUrl, "returnUrl");
            Objects.requireNonNull(clientIp, "clientIp");
        }
    }

    /** What happens to the request. */
    sealed interface Decision {
        /** Send {@code credential} with it; {@code version} names it if the backend refuses it. */
        record Send(SsoInstruction.Credential credential, String version) implements Decision {
            public Send {
                Objects.requireNonNull(credential, "credential");
                Objects.requireNonNull(version, "version");
            }
        }

        /** Send the browser there instead (My Apps, to store or update the password). */
        record Redirect(String url) implements Decision {
            public Redirect {
                Objects.requireNonNull(url, "url");
            }
        }

        /** Answer this instead. */
        record Fail(ProxyFailure failure) implements Decision {
            public Fail {
                Objects.requireNonNull(failure, "failure");
            }
        }
    }

    /** Before the request goes to the app: the credential it carries, or the answer instead. */
    Decision before(Attempt attempt);

    /**
     * The backend answered {@code 401} with a Basic challenge to {@code sent}: what the user gets instead
     * ({@link Decision.Redirect} or {@link Decision.Fail}).
     */
    Decision refused(Attempt attempt, Decision.Send sent);
}
