package dev.drawbridge.console.config;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.HttpAdminApi;

import java.net.URI;
import java.security.KeyStore;
import java.util.function.Supplier;

/**
 * The console's admin API client: admin-client's {@link HttpAdminApi} (TLS restricted to Mozilla's intermediate
 * profile, {@code *.localhost} on loopback, redirects never followed), trusting only the CAs the admin accepted.
 */
public final class AdminApis {
    private AdminApis() {
    }

    /**
     * A client of {@code server} trusting {@code trust} (the JDK's default trust store when null), sending the bearer
     * credential {@code token} gives on each call (none while it gives null).
     */
    public static HttpAdminApi http(URI server, KeyStore trust, Supplier<String> token) {
        HttpAdminApi.Builder b = HttpAdminApi.to(server).token(token).userAgent("drawbridge-console/0.1.0");
        if (trust != null) {
            b.trust(trust);
        }
        return b.build();
    }

    /** Closes {@code api} when it holds connections (the real client; fakes hold none). */
    public static void close(AdminApi api) {
        if (api instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing: nothing left to do
            }
        }
    }
}
