package dev.drawbridge.console.config;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.HttpAdminApi;
import dev.drawbridge.model.tls.TlsProfile;

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
     * Restricts this JVM's TLS key exchange to {@link TlsProfile#NAMED_GROUPS} ({@code jdk.tls.namedGroups}, unless set):
     * the JDK's HttpClient does not apply the named groups of the SSLParameters HttpAdminApi gives it, so without this
     * its ClientHello also offers ffdhe, secp521r1 and hybrid groups. Call before any TLS connection (the console's
     * {@code Launcher} does). Redundant once admin-client restricts the groups itself.
     */
    public static void restrictNamedGroups() {
        if (System.getProperty(NAMED_GROUPS) == null) {
            System.setProperty(NAMED_GROUPS, String.join(",", TlsProfile.NAMED_GROUPS));
        }
    }

    /** The JDK's system property of the key-exchange groups TLS offers. */
    static final String NAMED_GROUPS = "jdk.tls.namedGroups";

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
