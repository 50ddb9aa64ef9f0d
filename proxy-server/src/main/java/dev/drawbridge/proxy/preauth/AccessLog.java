package dev.drawbridge.proxy.preauth;

import dev.drawbridge.proxy.logs.SignInRecord;

/** Where the app chain's access decisions go: the sign-in log's {@code ACCESS} lines (denied, or interrupted for a step-up). */
@FunctionalInterface
public interface AccessLog {
    void record(SignInRecord line);
}
