package dev.drawbridge.proxy.admin;

import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.AdminTokenRequest;
import dev.drawbridge.model.api.AdminTokenResponse;
import dev.drawbridge.model.api.AuthMethod;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.SignInResult;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.identity.Directory;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.identity.Mfa;
import dev.drawbridge.proxy.identity.SessionTokens;
import dev.drawbridge.proxy.identity.SignInLimiter;
import dev.drawbridge.proxy.identity.TokenKind;
import dev.drawbridge.proxy.logs.SignInLog;
import dev.drawbridge.proxy.logs.SignInRecord;
import dev.drawbridge.proxy.pki.ServerKeys;
import dev.drawbridge.proxy.policy.ConditionalAccess;
import dev.drawbridge.proxy.policy.PolicyStore;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Who may call the admin API. Two kinds of bearer token: the bootstrap credential (a global administrator,
 * compared in constant time) and short-lived admin tokens that directory users get from
 * {@code POST /api/v1/auth/token} with their password and, where their account or a conditional-access
 * policy asks for it, a TOTP code. Admin tokens are ES256 JWTs of their own kind ({@link TokenKind#ADMIN_TOKEN}, a
 * {@code typ} no other token carries) and audience, so no session, app access token or assertion is ever accepted here. Roles are read on every call:
 * removing a role, disabling the
 * user or revoking their sessions takes effect at once, not when the token expires.
 */
public final class AdminAuth {
    /** The audience of admin tokens. */
    public static final String AUDIENCE = "drawbridge:admin-api";
    /** The app id conditional-access policies name to target admin sign-ins (policies for all apps apply too). */
    public static final String ADMIN_APP_ID = "drawbridge-admin-api";
    public static final String CLIENT_ID = "drawbridge-admin";
    /** An admin token's life (what a signing key retiring must outlive, with the other tokens it signs). */
    public static final Duration TTL = Duration.ofHours(1);
    static final String MFA_REQUIRED_TYPE = "https://drawbridge.dev/problems/mfa-required";

    private final ServerKeys keys;
    private final SessionTokens tokens;
    private final Directory directory;
    private final AdminRoleStore roles;
    private final Mfa mfa;
    private final PolicyStore policies;
    private final SignInLog signInLog;
    private final Clock clock;
    /** Sign-in attempts per client address and per account, shared with the sign-in host. */
    private final SignInLimiter limiter;

    public AdminAuth(ServerKeys keys, SessionTokens tokens, Directory directory, AdminRoleStore roles, Mfa mfa,
                     PolicyStore policies, SignInLog signInLog, Clock clock, SignInLimiter limiter) {
        this.limiter = limiter;
        this.keys = keys;
        this.tokens = tokens;
        this.directory = directory;
        this.roles = roles;
        this.mfa = mfa;
        this.policies = policies;
        this.signInLog = signInLog;
        this.clock = clock;
    }

    public AdminRoleStore roles() {
        return roles;
    }

    /** The caller behind a bearer token, if the token is valid and its user still an enabled admin. */
    public Optional<Caller> authenticate(String bearer) {
        if (bearer == null || bearer.isEmpty()) {
            return Optional.empty();
        }
        if (keys.isAdminToken(bearer)) {
            return Optional.of(Caller.BOOTSTRAP);
        }
        return tokens.verify(bearer, TokenKind.ADMIN_TOKEN, AUDIENCE).flatMap(s -> directory.store().user(s.userId())
                .filter(u -> u.enabled() && s.authTime().isAfter(u.sessionsValidAfter()))
                .map(u -> new Caller(u.upn(), Optional.of(u.id()), u.displayName(), roles.roles(u.id()))))
                .filter(c -> !c.roles().isEmpty());
    }

    /**
     * Signs an admin in; every attempt goes to the sign-in log (event {@code ADMIN_SIGN_IN}). Each attempt is
     * rate-limited per address and per account ({@link SignInLimiter}; per-account lockout stops guessing one
     * password, the address limit stops trying a few passwords on many accounts). An unknown, disabled or locked
     * account and a wrong password get the same answer.
     */
    public AdminTokenResponse signIn(AdminTokenRequest req, String clientIp) throws ApiException {
        if (req == null || req.username() == null || req.username().isBlank() || req.password() == null) {
            throw new ApiException(new Problem("about:blank", "Invalid request", 400, "username and password are required",
                    List.of(new Problem.FieldError(req == null || req.username() == null || req.username().isBlank() ? "username" : "password",
                            "required"))));
        }
        String upn = req.username().strip();
        // The token's auth time: when this attempt began, so that a disable or revocation racing it ends the token too.
        Instant started = clock.instant();
        SignInLimiter.Admission.Admitted admitted = switch (limiter.admit(clientIp, Optional.of(upn))) {
            case SignInLimiter.Admission.Limited l -> {
                String why = l.byAddress() ? "too many sign-in attempts from this address" : "too many sign-in attempts for this account";
                signInLog.write(line(SignInResult.FAILURE, why, clientIp).upn(upn));
                throw new ApiException(429, "Too many requests", why + "; try again in " + ApiException.seconds(l.retryAfter()) + " s",
                        l.retryAfter());
            }
            case SignInLimiter.Admission.Admitted a -> a;
        };
        switch (directory.signIn(upn, req.password())) {
            case Directory.SignIn.Busy b -> {
                signInLog.write(line(SignInResult.FAILURE, "too many password checks at once", clientIp).upn(upn));
                throw new ApiException(429, "Too many requests", "the server is busy checking passwords; try again in 1 s", Duration.ofSeconds(1));
            }
            case Directory.SignIn.Refused r -> {
                signInLog.write(line(SignInResult.FAILURE, r.reason(), clientIp).upn(upn));
                throw unauthorized("invalid user name or password");
            }
            case Directory.SignIn.Ok ok -> {
                return afterPassword(ok.user(), req.mfaCode(), clientIp, admitted, started);
            }
        }
    }

    private AdminTokenResponse afterPassword(DirectoryUser user, String code, String clientIp, SignInLimiter.Admission.Admitted admitted,
                                             Instant started) throws ApiException {
        List<AdminRole> held = roles.roles(user.id());
        if (held.isEmpty()) {
            signInLog.write(line(SignInResult.FAILURE, "not an administrator", clientIp).user(user));
            throw new ApiException(403, "Forbidden", user.upn() + " holds no admin role");
        }
        List<DirectoryStore.Group> groups = directory.store().groupsOf(user.id());
        ConditionalAccess.Decision d = policies.get().evaluate(new ConditionalAccess.Context(user.id(), user.upn(),
                groups.stream().map(DirectoryStore.Group::id).collect(Collectors.toSet()),
                groups.stream().map(DirectoryStore.Group::name).collect(Collectors.toSet()), ADMIN_APP_ID,
                address(clientIp), AccessPolicy.ClientType.NATIVE, clock.instant()));
        if (d.outcome() == ConditionalAccess.Decision.Outcome.BLOCK) {
            signInLog.write(line(SignInResult.FAILURE, "blocked by conditional access", clientIp).user(user).policies(d.summary()));
            throw new ApiException(403, "Forbidden", "a conditional access policy blocks this sign-in");
        }
        boolean enrolled = mfa.isEnrolled(user.id());
        boolean mfaNeeded = enrolled || d.outcome() == ConditionalAccess.Decision.Outcome.REQUIRE_MFA;
        if (mfaNeeded) {
            if (!enrolled) {
                signInLog.write(line(SignInResult.FAILURE, "MFA required but not enrolled", clientIp).user(user).policies(d.summary()));
                throw new ApiException(403, "Forbidden", "MFA is required: enroll an authenticator at the sign-in page first");
            }
            if (code == null || code.isBlank()) {
                // The password was right: asking for the code is not a failed attempt.
                admitted.succeeded();
                signInLog.write(line(SignInResult.INTERRUPTED, "MFA code required", clientIp).user(user).policies(d.summary()));
                throw new ApiException(new Problem(MFA_REQUIRED_TYPE, "MFA code required", 401,
                        "send the current code of your authenticator app as mfaCode",
                        List.of(new Problem.FieldError("mfaCode", "required for this account"))));
            }
            switch (directory.secondFactor(user.id(), () -> mfa.verify(user.id(), code))) {
                case Directory.SecondFactor.Ok ok -> {
                }
                case Directory.SecondFactor.Locked l -> {
                    signInLog.write(line(SignInResult.FAILURE, "account locked until " + l.until(), clientIp).user(user).mfaUsed(true)
                            .policies(d.summary()));
                    Duration wait = Duration.between(clock.instant(), l.until());
                    throw new ApiException(429, "Locked", "too many wrong codes; try again later", wait.isPositive() ? wait : Duration.ofSeconds(1));
                }
                case Directory.SecondFactor.Wrong w -> {
                    String why = "wrong MFA code" + w.lockedUntil().map(u -> "; account locked until " + u).orElse("");
                    signInLog.write(line(SignInResult.FAILURE, why, clientIp).user(user).mfaUsed(true).policies(d.summary()));
                    throw new ApiException(new Problem(MFA_REQUIRED_TYPE, "Wrong MFA code", 401, "the MFA code is wrong or was already used",
                            List.of(new Problem.FieldError("mfaCode", "wrong or already used"))));
                }
            }
        } else {
            directory.signInComplete(user.id());
        }
        admitted.succeeded();
        Instant now = clock.instant();
        List<String> amr = (mfaNeeded ? List.of(AuthMethod.PASSWORD, AuthMethod.ONE_TIME_CODE) : List.of(AuthMethod.PASSWORD)).stream()
                .map(AuthMethod::amr).toList();
        String token = tokens.accessToken(TokenKind.ADMIN_TOKEN, AUDIENCE, user.id(), CLIENT_ID, amr, started, TTL);
        signInLog.write(line(SignInResult.SUCCESS, "admin token issued", clientIp).user(user).mfaUsed(mfaNeeded).policies(d.summary()));
        return new AdminTokenResponse(token, "Bearer", TTL.toSeconds(), now.plus(TTL), user.upn(), held);
    }

    /** A sign-in log line of an admin sign-in: a native client, at the admin API. */
    private static SignInRecord line(SignInResult result, String reason, String clientIp) {
        return SignInRecord.adminSignIn(result, reason, clientIp).app(ADMIN_APP_ID, "Admin API")
                .clientType(AccessPolicy.ClientType.NATIVE);
    }

    private static InetAddress address(String ip) {
        try {
            return InetAddress.ofLiteral(ip);
        } catch (IllegalArgumentException e) {
            return InetAddress.getLoopbackAddress();
        }
    }

    private static ApiException unauthorized(String detail) {
        return new ApiException(401, "Unauthorized", detail);
    }
}
