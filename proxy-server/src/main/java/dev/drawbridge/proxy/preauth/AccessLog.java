package dev.drawbridge.proxy.preauth;

import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.identity.DirectoryUser;

/** The sign-in log's ACCESS events (an app opened, denied or interrupted for a user). */
@FunctionalInterface
public interface AccessLog {
    /**
     * @param result   SUCCESS, DENIED or INTERRUPTED
     * @param policies the conditional access policies that applied (summary), or ""
     */
    void record(String result, String reason, DirectoryUser user, PublishedApp app, String clientIp, String policies);
}
