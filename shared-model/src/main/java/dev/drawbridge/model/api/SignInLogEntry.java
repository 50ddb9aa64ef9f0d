package dev.drawbridge.model.api;

import java.time.Instant;

/**
 * One line of the sign-in log: a sign-in attempt (event SIGN_IN) or an access decision on an app
 * (event ACCESS). {@code result} is SUCCESS, FAILURE (bad credentials, locked), DENIED, or INTERRUPTED
 * (a second factor was asked for); {@code policies} lists the conditional access policies that applied.
 */
public record SignInLogEntry(long id, Instant at, String event, String result, String reason, String userId, String upn,
                             String appId, String appName, String clientIp, String clientType, boolean mfaUsed,
                             String policies) {
}
