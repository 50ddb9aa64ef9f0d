package dev.drawbridge.proxy.logs;

import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.SignInEvent;
import dev.drawbridge.model.api.SignInResult;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.identity.DirectoryUser;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One line to write to the sign-in log ({@link SignInLog#write}): what happened and how it ended, why, who (the user, or
 * the user name tried when no user is known), on which app, from which address and kind of client, whether a second
 * factor was used, and the conditional access policies that applied. Start with {@link #signIn}, {@link #access} or
 * {@link #adminSignIn} and name the rest:
 * <pre>
 *   SignInRecord.signIn(SignInResult.FAILURE, "wrong password", clientIp).upn(tried).app(app)
 * </pre>
 *
 * @param upn      lower case; the user's, or the name tried
 * @param policies the summary of the conditional access policies that applied, or ""
 */
public record SignInRecord(SignInEvent event, SignInResult result, String reason, Optional<String> userId, Optional<String> upn,
                           Optional<String> appId, Optional<String> appName, String clientIp, AccessPolicy.ClientType clientType,
                           boolean mfaUsed, String policies) {
    public SignInRecord {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(upn, "upn");
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(appName, "appName");
        Objects.requireNonNull(clientIp, "clientIp");
        Objects.requireNonNull(clientType, "clientType");
        Objects.requireNonNull(policies, "policies");
    }

    /** A line of a browser's request, with no user, app, second factor or policies yet. */
    public static SignInRecord of(SignInEvent event, SignInResult result, String reason, String clientIp) {
        return new SignInRecord(event, result, reason, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), clientIp,
                AccessPolicy.ClientType.BROWSER, false, "");
    }

    /** A sign-in at the sign-in host (password, federation, second factor). */
    public static SignInRecord signIn(SignInResult result, String reason, String clientIp) {
        return of(SignInEvent.SIGN_IN, result, reason, clientIp);
    }

    /** An access decision on an app. */
    public static SignInRecord access(SignInResult result, String reason, String clientIp) {
        return of(SignInEvent.ACCESS, result, reason, clientIp);
    }

    /** An administrator's sign-in to the admin API. */
    public static SignInRecord adminSignIn(SignInResult result, String reason, String clientIp) {
        return of(SignInEvent.ADMIN_SIGN_IN, result, reason, clientIp);
    }

    /** The user it concerns (their id and name). */
    public SignInRecord user(DirectoryUser user) {
        return new SignInRecord(event, result, reason, Optional.of(user.id()), Optional.of(user.upn()), appId, appName, clientIp,
                clientType, mfaUsed, policies);
    }

    /** The user it concerns, when known. */
    public SignInRecord user(Optional<DirectoryUser> user) {
        return user.map(this::user).orElse(this);
    }

    /** The user name tried (stripped, lower case; a blank one names nobody), for an attempt no user is known for. */
    public SignInRecord upn(String tried) {
        Optional<String> upn = tried == null || tried.isBlank() ? Optional.empty() : Optional.of(tried.strip().toLowerCase(Locale.ROOT));
        return new SignInRecord(event, result, reason, userId, upn, appId, appName, clientIp, clientType, mfaUsed, policies);
    }

    /** The app it concerns. */
    public SignInRecord app(PublishedApp app) {
        return app(app.id(), app.name());
    }

    /** The app it concerns, when known. */
    public SignInRecord app(Optional<PublishedApp> app) {
        return app.map(this::app).orElse(this);
    }

    /** An app that is not a published one (the admin API). */
    public SignInRecord app(String id, String name) {
        return new SignInRecord(event, result, reason, userId, upn, Optional.of(id), Optional.of(name), clientIp, clientType, mfaUsed,
                policies);
    }

    public SignInRecord clientType(AccessPolicy.ClientType type) {
        return new SignInRecord(event, result, reason, userId, upn, appId, appName, clientIp, type, mfaUsed, policies);
    }

    public SignInRecord mfaUsed(boolean used) {
        return new SignInRecord(event, result, reason, userId, upn, appId, appName, clientIp, clientType, used, policies);
    }

    /** The summary of the conditional access policies that applied ({@code ConditionalAccess.Decision#summary}). */
    public SignInRecord policies(String summary) {
        return new SignInRecord(event, result, reason, userId, upn, appId, appName, clientIp, clientType, mfaUsed, summary);
    }
}
