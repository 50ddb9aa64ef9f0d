package dev.drawbridge.model.sso;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The single sign-on parts of the tunnel protocol. A connector that reads identities announces the feature
 * {@value #FEATURE} in the header {@value #FEATURES_HEADER} of its tunnel upgrade (a comma-separated list); only to
 * such a tunnel does the proxy send a CONFIG frame of kind {@value SsoKeys#KIND} and OPEN frames with an identity (flag
 * bit 2). An older connector would close its tunnel on either (unknown frame type; trailing bytes after an OPEN's
 * headers), so both stay gated on the announcement.
 */
public final class SsoWire {
    /** The tunnel upgrade's header listing the protocol features the connector reads. */
    public static final String FEATURES_HEADER = "X-Drawbridge-Tunnel-Features";
    /** The feature: CONFIG {@code sso-keys} and identities on OPEN. */
    public static final String FEATURE = "sso1";
    /** The JOSE {@code typ} of an identity token: no other token of the server has it. */
    public static final String TOKEN_TYPE = "drawbridge-sso+jwt";
    /** The claim binding an identity token to one stream: {@code "<tunnel id>/<stream id>"}. */
    public static final String STREAM_CLAIM = "stm";

    /**
     * The response header by which the connector tells the proxy that the backend refused the stored user name and
     * password of a {@code FORMS} app (it showed its login form again after the connector posted them). The connector
     * removes every spelling of it from the backend's own answers, so only the connector sets it.
     */
    public static final String FORMS_REFUSED_HEADER = "X-Drawbridge-Sso-Refused";

    /** Claim names of an identity token beyond the registered ones (iss, sub, aud, iat, exp, jti). */
    public static final String UPN = "upn", NAME = "name", EMAIL = "email", ON_PREM_UPN = "onprem_upn", SAM = "sam",
            GROUPS = "groups", CLAIMS = "claims";

    private SsoWire() {
    }

    /** The value of {@link #STREAM_CLAIM} for a stream of a tunnel. */
    public static String streamBinding(String tunnelId, int streamId) {
        return tunnelId + "/" + streamId;
    }

    /** Whether a features header value (null when absent) announces {@link #FEATURE}, in any letter case and spacing. */
    public static boolean announces(String featuresHeader) {
        if (featuresHeader == null) {
            return false;
        }
        Set<String> features = Arrays.stream(featuresHeader.split(",")).map(f -> f.strip().toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        return features.contains(FEATURE);
    }
}
