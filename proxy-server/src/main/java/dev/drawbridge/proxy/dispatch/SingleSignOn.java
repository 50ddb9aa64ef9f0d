package dev.drawbridge.proxy.dispatch;

import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.preauth.Identity;
import dev.drawbridge.proxy.tunnel.StreamIdentity;

/**
 * Single sign-on's part in dispatch: the signed identity a pre-authenticated request carries to the connector, and what
 * happens when the connector could not sign the user in (the user gets a page; this records why).
 */
public interface SingleSignOn {
    /** No identities, nothing recorded: for dispatchers that send connectors no signed identities. */
    SingleSignOn NONE = new SingleSignOn() {
        @Override
        public StreamIdentity identity(PublishedApp app, Identity user) {
            return null;
        }

        @Override
        public void refused(PublishedApp app, Identity user, String clientIp, String reason) {
        }
    };

    /** Signs {@code user}'s identity for the stream their request to {@code app} travels on; null for none. */
    StreamIdentity identity(PublishedApp app, Identity user);

    /** The connector refused to sign {@code user} in to {@code app}, for {@code reason} (its RESET's message). */
    void refused(PublishedApp app, Identity user, String clientIp, String reason);
}
