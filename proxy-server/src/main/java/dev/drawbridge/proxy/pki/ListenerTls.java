package dev.drawbridge.proxy.pki;

import dev.drawbridge.model.tls.TlsProfile;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import javax.net.ssl.SSLParameters;

/**
 * Jetty TLS settings for the server's listeners (public and tunnel), and for the admin CLI towards them: the
 * {@link TlsProfile} (Mozilla intermediate: TLS 1.2/1.3, ECDHE with AEAD suites only, x25519/secp256r1/secp384r1) and
 * no TLS 1.2 renegotiation. The caller adds
 * keys, trust, client authentication and, on the tunnel, its own suite order (which must stay within the profile).
 */
public final class ListenerTls {
    private ListenerTls() {
    }

    /** A server-side factory restricted to the profile. */
    public static SslContextFactory.Server newFactory() {
        SslContextFactory.Server tls = new SslContextFactory.Server() {
            @Override
            public SSLParameters customize(SSLParameters params) {
                // Jetty selected protocols and suites from the includes below; the profile also fixes the named
                // groups and drops any suite outside it, whatever a caller included.
                return TlsProfile.restrict(super.customize(params));
            }
        };
        tls.setIncludeProtocols(TlsProfile.protocols());
        tls.setIncludeCipherSuites(TlsProfile.cipherSuites());
        tls.setRenegotiationAllowed(false);
        return tls;
    }

    /**
     * A client-side factory restricted to the same profile, for the programs that talk to these listeners with an
     * admin's password or bearer credential (the admin CLI): what they offer does not depend on whatever terminates
     * TLS in front of the admin host.
     */
    public static SslContextFactory.Client newClientFactory() {
        SslContextFactory.Client tls = new SslContextFactory.Client() {
            @Override
            public SSLParameters customize(SSLParameters params) {
                return TlsProfile.restrict(super.customize(params));
            }
        };
        tls.setIncludeProtocols(TlsProfile.protocols());
        tls.setIncludeCipherSuites(TlsProfile.cipherSuites());
        return tls;
    }
}
