package dev.drawbridge.model.tunnel;

import dev.drawbridge.model.tls.TlsProfile;

import java.util.ArrayList;
import java.util.List;

/**
 * Cipher-suite order for the tunnel's TLS. Both ends are Java, whose default TLS 1.3 order puts
 * {@code TLS_AES_256_GCM_SHA384} first; the tunnel carries every body byte, so it prefers the cheaper
 * {@code TLS_AES_128_GCM_SHA256} (and the AES-128-GCM suites of TLS 1.2). Every other suite of the
 * {@link TlsProfile} stays enabled, in the profile's order, after those.
 */
public final class TunnelCiphers {
    /** The preferred TLS 1.3 suite. */
    public static final String PREFERRED = "TLS_AES_128_GCM_SHA256";

    private TunnelCiphers() {
    }

    /** The profile's suites with the AES-128-GCM ones moved to the front (relative order otherwise kept). */
    public static String[] preferred() {
        return preferred(TlsProfile.cipherSuites());
    }

    static String[] preferred(String[] defaults) {
        List<String> ordered = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (String s : defaults) {
            if (s.equals(PREFERRED)) {
                ordered.addFirst(s);
            } else if (s.contains("_WITH_AES_128_GCM_")) {
                ordered.add(s);
            } else {
                rest.add(s);
            }
        }
        ordered.addAll(rest);
        return ordered.toArray(String[]::new);
    }
}
