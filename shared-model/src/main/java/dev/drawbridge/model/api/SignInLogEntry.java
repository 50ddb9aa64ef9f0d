package dev.drawbridge.model.api;

import java.time.Instant;

/**
 * One line of the sign-in log: a sign-in attempt (event SIGN_IN) or an access decision on an app
 * (event ACCESS). {@code result} is SUCCESS, FAILURE (bad credentials, locked) or DENIED.
 */
public record SignInLogEntry(long id, Instant at, String event, String result, String reason, String userId, String upn,
                             String appId, String appName, String clientIp, String clientType, boolean mfaUsed) {
}
