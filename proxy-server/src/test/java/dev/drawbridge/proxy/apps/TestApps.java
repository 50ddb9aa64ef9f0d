package dev.drawbridge.proxy.apps;

import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PreAuthentication;

import java.net.URI;
import java.time.Instant;

/** Apps for store tests: a passthrough app at a host and path, created at {@link #NOW}. */
public final class TestApps {
    public static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    private TestApps() {
    }

    public static PublishedApp app(String id, String name, String host, String path, String groupId) {
        return new PublishedApp(id, name, URI.create("https://" + host + path), host, path, URI.create("http://intranet:8080/"),
                groupId, BackendTimeout.LONG, false, PreAuthentication.PASSTHROUGH, NOW, NOW.plusSeconds(1));
    }
}
