package dev.drawbridge.proxy.forwarding;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The class of header names a client must never get to a backend, written out independently of
 * {@link ClientHeaders} (the specification the tests hold it to), and every spelling of one name that Jetty
 * accepts and a gateway may read as the same header. The system tests (module system-tests) use this same list
 * through proxy-server's test-jar.
 */
public final class HeaderSpellings {
    /** Canonical names that must be stripped; a family is represented by several members. */
    public static final List<String> STRIPPED = List.of(
            // Drawbridge's own
            "x-drawbridge-user", "x-drawbridge-assertion", "x-drawbridge-groups", "x-drawbridge-anything",
            // RFC 7239 and the X-Forwarded family (X-Forwarded-For's non-canonical spellings included)
            "forwarded", "forwarded-for", "x-forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto",
            "x-forwarded-port", "x-forwarded-prefix", "x-forwarded-server", "x-forwarded-ssl", "x-forwarded-scheme",
            "x-forwarded-uri", "x-forwarded-path", "x-forwarded-protocol", "x-forwarded-by", "x-forwarded-client-cert",
            "x-forwarded-user", "x-forwarded-email", "x-forwarded-groups", "x-forwarded-preferred-username",
            "x-forwarded-access-token",
            // client address
            "x-real-ip", "x-client-ip", "client-ip", "true-client-ip", "cf-connecting-ip", "cf-connecting-ipv6",
            "fastly-client-ip", "fly-client-ip", "x-cluster-client-ip", "x-original-forwarded-for", "x-proxyuser-ip",
            "x-originating-ip", "x-remote-addr", "x-remote-ip", "x-azure-clientip", "x-azure-socketip", "x-appengine-user-ip",
            "x-envoy-external-address",
            // URL, host, scheme, path prefix
            "x-original-url", "x-original-uri", "x-original-host", "x-original-proto", "x-original-for", "x-original-prefix",
            "x-rewrite-url", "x-host", "x-url-scheme", "x-scheme", "front-end-https", "x-proxied-https", "x-script-name",
            "x-envoy-original-path", "cf-visitor",
            // identity from authenticating proxies
            "x-remote-user", "x-remote-group", "x-remote-extra-scopes", "remote-user", "remote-groups", "remote-email",
            "remote-name", "x-authenticated-user", "x-authenticated-userid", "x-authenticated-scope", "x-auth-request-user",
            "x-auth-request-email", "x-auth-request-groups", "x-auth-request-preferred-username", "x-auth-request-access-token",
            "x-pomerium-jwt-assertion", "x-pomerium-claim-email", "x-ms-client-principal", "x-ms-client-principal-name",
            "x-ms-client-principal-id", "x-ms-client-principal-idp", "x-ms-token-aad-id-token", "x-goog-authenticated-user-email",
            "x-goog-authenticated-user-id", "x-goog-iap-jwt-assertion", "x-amzn-oidc-data", "x-amzn-oidc-identity",
            "x-amzn-oidc-accesstoken", "cf-access-jwt-assertion", "cf-access-authenticated-user-email", "x-appengine-user-email",
            "x-consumer-id", "x-consumer-username", "x-credential-identifier", "x-authentik-username", "x-authentik-groups",
            "x-webauth-user", "x-vouch-user", "x-auth-username", "x-auth-userid", "x-auth-subject", "x-auth-email",
            "x-auth-roles", "x-auth-groups", "x-userinfo",
            // TLS client certificates
            "x-ssl-client-cert", "x-ssl-client-verify", "x-ssl-client-dn", "ssl-client-cert", "ssl-cipher", "ssl-session-id",
            "x-arr-clientcert", "x-arr-ssl", "x-amzn-mtls-clientcert", "x-client-cert", "x-client-verify", "x-client-dn",
            "proxy-auth-cert", "proxy-ssl-id");

    /** Names that look close to the list but are ordinary client headers, and must pass. */
    public static final List<String> KEPT = List.of("Accept", "Authorization", "Cookie", "User-Agent", "Content-Type",
            "X-Requested-With", "X-Api-Key", "X-Auth-Token", "X-Auth-User", "X-Auth-Key", "X-CSRF-Token", "X-Drawbridgeish",
            "X-Forwarder", "X-Real-IPs", "Remote", "Forwarded2", "X-Hosted-By", "If-None-Match", "X-Correlation-Id");

    /** The RFC 9110 token characters other than letters and digits, which Jetty accepts in a header name. */
    public static final String SEPARATORS = "-_.~!#$%&'*+^`|";

    private HeaderSpellings() {
    }

    /**
     * Spellings of a canonical name: case variants; {@code _} for {@code -} at each position alone and at all;
     * every other token separator for all dashes; and mixed case with mixed separators.
     */
    public static List<String> of(String canonical) {
        Set<String> out = new LinkedHashSet<>();
        String title = title(canonical);
        for (String base : List.of(canonical, canonical.toUpperCase(Locale.ROOT), title, alternating(canonical))) {
            out.add(base);
            for (char sep : SEPARATORS.toCharArray()) {
                out.add(base.replace('-', sep));
            }
            for (int i = base.indexOf('-'); i >= 0; i = base.indexOf('-', i + 1)) {
                out.add(base.substring(0, i) + '_' + base.substring(i + 1));
            }
            StringBuilder mixed = new StringBuilder();
            int dash = 0;
            for (char c : base.toCharArray()) {
                mixed.append(c == '-' ? (dash++ % 2 == 0 ? '_' : '.') : c);
            }
            out.add(mixed.toString());
        }
        return new ArrayList<>(out);
    }

    private static String title(String s) {
        StringBuilder b = new StringBuilder();
        boolean up = true;
        for (char c : s.toCharArray()) {
            b.append(up ? Character.toUpperCase(c) : c);
            up = c == '-';
        }
        return b.toString();
    }

    private static String alternating(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            b.append(i % 2 == 0 ? Character.toUpperCase(s.charAt(i)) : s.charAt(i));
        }
        return b.toString();
    }

    /** How a gateway sees a name: lower case, every character but a letter or digit as {@code -} (written for the tests). */
    public static String gatewayView(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "-");
    }
}
