package dev.drawbridge.model.api;

import java.time.Instant;

/**
 * One line of the sign-in log: a sign-in attempt (event SIGN_IN; ADMIN_SIGN_IN on the admin API) or an
 * access decision on an app (event ACCESS). {@code result} is SUCCESS, FAILURE (bad credentials, locked), DENIED, or
 * INTERRUPTED (a second factor was asked for); {@code clientType} says whether a browser or a native (bearer) client
 * made it; {@code policies} lists the conditional access policies that applied.
 */
public record SignInLogEntry(long id, Instant at, SignInEvent event, SignInResult result, String reason, String userId, String upn,
                             String appId, String appName, String clientIp, AccessPolicy.ClientType clientType, boolean mfaUsed,
                             String policies) {
}
