package dev.drawbridge.proxy.sso;

import dev.drawbridge.model.api.SignInEvent;
import dev.drawbridge.model.api.SignInResult;
import dev.drawbridge.proxy.dispatch.PasswordVaulting;
import dev.drawbridge.proxy.edge.ProxyFailure;
import dev.drawbridge.proxy.logs.SignInRecord;
import dev.drawbridge.proxy.vault.Vault;

import java.util.function.Consumer;

/**
 * Password vaulting in dispatch, as the server runs it ({@link PasswordVaulting}): a request to a {@code BASIC} app
 * carries the user's stored credential (or the app's shared one); without one to send, a browser goes to My Apps to
 * store it ({@code /passwords/<app id>}, then back to where it was going) and any other client gets a 403 problem
 * naming that page; when the backend refuses it, the user's is marked refused and the user goes to My Apps to update it.
 * An app's shared credential that is missing or refused is for an administrator to fix: the user gets a page saying so,
 * and the sign-in log an entry (event BACKEND_SSO, FAILURE), as does every refusal.
 */
public final class PasswordDispatch implements PasswordVaulting {
    /** What an administrator does about a shared credential that cannot be sent. */
    public static final String SHARED_FIX = " (an administrator sets them: drawbridge apps sso shared-credential set)";
    private final Vault vault;
    private final String loginOrigin;
    private final Consumer<SignInRecord> signInLog;
    private final SsoRefusals refusals;

    public PasswordDispatch(Vault vault, String loginOrigin, Consumer<SignInRecord> signInLog) {
        this(vault, loginOrigin, signInLog, SsoRefusals.NONE);
    }

    /** As above, each request it cannot serve also counted by {@code refusals}. */
    public PasswordDispatch(Vault vault, String loginOrigin, Consumer<SignInRecord> signInLog, SsoRefusals refusals) {
        this.vault = vault;
        this.loginOrigin = loginOrigin;
        this.signInLog = signInLog;
        this.refusals = refusals;
    }

    @Override
    public Decision before(Attempt attempt) {
        return switch (vault.forRequest(attempt.app(), attempt.user().user().id())) {
            case Vault.Lookup.Found f -> new Decision.Send(f.credential(), f.version());
            case Vault.Lookup.Missing m -> {
                refusals.refused(attempt.app(), switch (m.why()) {
                    case NOT_STORED -> SsoRefusals.Reason.PASSWORD_NOT_STORED;
                    case MOVED -> SsoRefusals.Reason.PASSWORD_MOVED;
                    case REFUSED -> SsoRefusals.Reason.PASSWORD_REFUSED;
                });
                yield Vault.isShared(attempt.app()) ? sharedFailed(attempt, sharedMissing(m.why())) : toMyApps(attempt, m.why());
            }
        };
    }

    @Override
    public Decision refused(Attempt attempt, Decision.Send sent) {
        refusals.refused(attempt.app(), SsoRefusals.Reason.PASSWORD_REFUSED);
        vault.refused(attempt.app(), attempt.user().user().id(), new Vault.Lookup.Found(sent.credential(), sent.version()));
        if (Vault.isShared(attempt.app())) {
            return sharedFailed(attempt, "the app refused its shared user name and password");
        }
        log(attempt, "the app refused the user's stored user name and password (401 Basic, or its login form again); they must store them again in My Apps");
        return toMyApps(attempt, Vault.Why.REFUSED);
    }

    /** Why an app's shared credential cannot be sent, for the page, the sign-in log and the administrators' preview. */
    public static String sharedMissing(Vault.Why why) {
        return switch (why) {
            case NOT_STORED -> "its shared user name and password are not set";
            case MOVED -> "its shared user name and password were set for the app's former internal address, connector group or sign-in settings";
            case REFUSED -> "the app refused its shared user name and password";
        };
    }

    private Decision toMyApps(Attempt attempt, Vault.Why why) {
        String appId = attempt.app().id();
        if (attempt.browser()) {
            return new Decision.Redirect(Vault.page(loginOrigin, appId, attempt.returnUrl(), why));
        }
        return new Decision.Fail(new ProxyFailure.StoredPasswordNeeded(attempt.app().name(), Vault.page(loginOrigin, appId, "", Vault.Why.NOT_STORED),
                why == Vault.Why.REFUSED, why == Vault.Why.MOVED));
    }

    private Decision sharedFailed(Attempt attempt, String reason) {
        log(attempt, reason + SHARED_FIX);
        return new Decision.Fail(new ProxyFailure.SharedPasswordFailed(attempt.app().name(), reason));
    }

    private void log(Attempt attempt, String reason) {
        signInLog.accept(SignInRecord.of(SignInEvent.BACKEND_SSO, SignInResult.FAILURE, reason, attempt.clientIp())
                .user(attempt.user().user()).app(attempt.app()));
    }
}
