package dev.drawbridge.proxy.sso;

import dev.drawbridge.model.api.SignInEvent;
import dev.drawbridge.model.api.SignInResult;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.dispatch.SingleSignOn;
import dev.drawbridge.proxy.logs.SignInRecord;
import dev.drawbridge.proxy.preauth.Identity;
import dev.drawbridge.proxy.tunnel.StreamIdentity;

import java.util.function.Consumer;

/**
 * Single sign-on in dispatch, as the server runs it: each pre-authenticated request's user signed by
 * {@link IdentityTokens} for its stream, and each refusal of a connector written to the sign-in log (event
 * {@link SignInEvent#BACKEND_SSO}, result FAILURE, the connector's reason).
 */
public final class SsoDispatch implements SingleSignOn {
    private final IdentityTokens tokens;
    private final Consumer<SignInRecord> signInLog;
    private final SsoRefusals refusals;

    public SsoDispatch(IdentityTokens tokens, Consumer<SignInRecord> signInLog) {
        this(tokens, signInLog, SsoRefusals.NONE);
    }

    /** As above, each refusal also counted by {@code refusals}. */
    public SsoDispatch(IdentityTokens tokens, Consumer<SignInRecord> signInLog, SsoRefusals refusals) {
        this.tokens = tokens;
        this.signInLog = signInLog;
        this.refusals = refusals;
    }

    @Override
    public StreamIdentity identity(PublishedApp app, Identity user) {
        return (tunnelId, streamId) -> tokens.sign(app.id(), IdentityTokens.identityOf(user.user(), user.groups()), tunnelId, streamId);
    }

    @Override
    public void refused(PublishedApp app, Identity user, String clientIp, String reason) {
        refusals.refused(app, SsoRefusals.Reason.CONNECTOR);
        signInLog.accept(SignInRecord.of(SignInEvent.BACKEND_SSO, SignInResult.FAILURE, reason, clientIp).user(user.user()).app(app));
    }
}
