package dev.drawbridge.model.tls;

import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * Mozilla's "intermediate" TLS profile, as the proxy server's listeners and the connector's tunnel client apply it:
 * TLS 1.3 and 1.2 only; TLS 1.2 suites only with ECDHE key exchange (ECDSA or RSA certificates) and an AEAD cipher
 * (AES-GCM, ChaCha20-Poly1305), so no CBC (LUCKY13 and its kin), no RSA key exchange (no forward secrecy), no SHA-1
 * MACs; key exchange only over x25519, secp256r1 and secp384r1.
 *
 * <p>The lists keep Mozilla's order. Entries this JVM does not support are left out at run time, never added.
 */
public final class TlsProfile {
    /** The protocols offered and accepted. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** The cipher suites (JSSE names, which are the IANA names), TLS 1.3 first. */
    public static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /** The key-exchange groups, most preferred first. */
    public static final List<String> NAMED_GROUPS = List.of("x25519", "secp256r1", "secp384r1");

    private TlsProfile() {
    }

    /** {@link #PROTOCOLS} as an array, for the TLS APIs. */
    public static String[] protocols() {
        return PROTOCOLS.toArray(String[]::new);
    }

    /** {@link #CIPHER_SUITES} that this JVM supports, in the profile's order. */
    public static String[] cipherSuites() {
        Set<String> supported = Set.of(supported().getCipherSuites());
        return CIPHER_SUITES.stream().filter(supported::contains).toArray(String[]::new);
    }

    /** {@link #NAMED_GROUPS} that this JVM supports, in the profile's order. */
    public static String[] namedGroups() {
        String[] all = supported().getNamedGroups();
        Set<String> supported = all == null ? Set.copyOf(NAMED_GROUPS) : Set.of(all);
        return NAMED_GROUPS.stream().filter(supported::contains).toArray(String[]::new);
    }

    /**
     * Restricts {@code params} (as an engine or socket carries them) to the profile: its protocols, its named groups,
     * and those of the enabled suites the profile allows, keeping their order (which may put a preferred suite first).
     */
    public static SSLParameters restrict(SSLParameters params) {
        params.setProtocols(protocols());
        params.setNamedGroups(namedGroups());
        String[] enabled = params.getCipherSuites();
        if (enabled != null) {
            params.setCipherSuites(Arrays.stream(enabled).filter(CIPHER_SUITES::contains).toArray(String[]::new));
        }
        return params;
    }

    private static SSLParameters supported() {
        try {
            return SSLContext.getDefault().getSupportedSSLParameters();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no default TLS implementation", e);
        }
    }
}
