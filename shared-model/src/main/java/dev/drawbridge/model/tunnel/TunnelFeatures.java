package dev.drawbridge.model.tunnel;

import java.util.Arrays;
import java.util.Locale;

/**
 * Protocol features the two ends of a tunnel announce to each other, so that neither sends the other a frame it does not
 * know (an unknown frame type closes the tunnel). The connector lists what it reads in the header {@value #HEADER} of its
 * tunnel upgrade; the proxy answers with what it reads in the same header of its {@code 101} response. Each side uses a
 * feature only when the peer announced it. The single sign-on feature ({@code sso1}) is announced by the connector only
 * ({@link dev.drawbridge.model.sso.SsoWire}).
 */
public final class TunnelFeatures {
    /** The header of the tunnel upgrade (connector) and of its 101 answer (proxy): a comma-separated list. */
    public static final String HEADER = "X-Drawbridge-Tunnel-Features";
    /** TRAILERS frames ({@link Frame.Trailers}), in either direction. */
    public static final String TRAILERS = "trailers1";
    /**
     * CONFIG {@code nodes} ({@link dev.drawbridge.model.cluster.ClusterNodes}), proxy → connector: the live nodes' tunnel
     * URLs. Announced by the connector; an older one never gets it and keeps its tunnels to the one URL it knows.
     */
    public static final String NODES = "nodes1";

    private TunnelFeatures() {
    }

    /** Whether a features header value (null when absent) names {@code feature}, in any letter case and spacing. */
    public static boolean announces(String header, String feature) {
        return header != null && Arrays.stream(header.split(",")).map(f -> f.strip().toLowerCase(Locale.ROOT))
                .anyMatch(feature::equals);
    }
}
