package dev.drawbridge.proxy.forwarding;

import dev.drawbridge.model.http.HeaderNames;

import java.util.List;
import java.util.Set;

/**
 * Which request headers a client may never send to a backend: the ones Drawbridge sets itself and the ones
 * that backends, frameworks and authenticating proxies read as the user's identity, the client's address,
 * or the URL, host and scheme of the request. Behind Drawbridge only Drawbridge may speak for the client.
 *
 * <p>Names are compared in their {@linkplain #canonical canonical} form: ASCII lower case, with every
 * character other than a letter or digit read as {@code -}. CGI, FastCGI and WSGI gateways turn a header name
 * into an environment variable by upper-casing it and mapping {@code -} (lighttpd, and Apache httpd before
 * 2.4, every non-alphanumeric character) to {@code _}, so {@code X_Drawbridge_User} and {@code X.Drawbridge.User}
 * both arrive as {@code HTTP_X_DRAWBRIDGE_USER}, the real header's variable. Jetty accepts exactly the RFC 9110
 * token characters in a name ({@code !#$%&'*+-.^_`|~}, digits, letters); anything else is refused with 400
 * before a handler sees it. The sources of each entry are listed in {@code docs/identity.md}.
 */
public final class ClientHeaders {
    /** The one spelling whose lines are merged and appended to; every other spelling of it is stripped. */
    public static final String FORWARDED_FOR = "x-forwarded-for";

    /** Whole families: every header whose canonical name starts with one of these. */
    private static final List<String> PREFIXES = List.of(
            "x-drawbridge-",           // Drawbridge's own: X-Drawbridge-User, -Assertion, and any later one
            "x-forwarded-",            // de-facto proxy headers: -For/-Host/-Proto/-Port/-Prefix/-Server/-Ssl/-Scheme/-Uri/
                                       // -Path/-Protocol/-By/-Client-Cert, and oauth2-proxy's -User/-Email/-Groups/-Access-Token
            "x-original-",             // X-Original-URL/-URI/-Host/-Method (IIS URL Rewrite, Symfony, Zend, nginx auth_request),
                                       // X-Original-For/-Proto/-Host/-Prefix (ASP.NET Core), X-Original-Forwarded-For (ingress-nginx)
            "x-auth-request-",         // oauth2-proxy: -User, -Email, -Groups, -Preferred-Username, -Access-Token
            "x-pomerium-",             // Pomerium: X-Pomerium-Jwt-Assertion, X-Pomerium-Claim-*
            "x-ms-client-principal",   // Azure App Service authentication: X-MS-CLIENT-PRINCIPAL, -NAME, -ID, -IDP
            "x-ms-token-",             // Azure App Service authentication: X-MS-TOKEN-*-ACCESS-TOKEN, -ID-TOKEN
            "x-goog-authenticated-",   // Google IAP: X-Goog-Authenticated-User-Email, -Id
            "x-goog-iap-",             // Google IAP: X-Goog-IAP-JWT-Assertion
            "x-amzn-oidc-",            // AWS ALB authentication: X-Amzn-Oidc-Data, -Identity, -Accesstoken
            "x-amzn-mtls-",            // AWS ALB mutual TLS: X-Amzn-Mtls-Clientcert*
            "cf-",                     // Cloudflare: CF-Connecting-IP(v6), CF-Visitor, CF-Access-Jwt-Assertion,
                                       // CF-Access-Authenticated-User-Email
            "x-azure-",                // Azure Front Door: X-Azure-ClientIP, X-Azure-SocketIP
            "x-appengine-",            // Google App Engine: X-AppEngine-User-IP, -User-Email
            "x-remote-",               // X-Remote-User/-Group/-Extra-* (Kubernetes authenticating proxy), X-Remote-Addr, X-Remote-IP
            "remote-",                 // Remote-User/-Groups/-Email/-Name (Authelia, Caddy forward_auth), Remote-Addr
            "x-authenticated-",        // X-Authenticated-User, Kong's X-Authenticated-Userid/-Scope/-Groups
            "x-consumer-",             // Kong: X-Consumer-Id, -Username, -Custom-Id, -Groups
            "x-credential-",           // Kong: X-Credential-Identifier, -Username
            "x-authentik-",            // authentik: X-authentik-username, -groups, -email, -uid, -jwt, -meta-*
            "x-webauth-",              // Grafana auth proxy (X-WEBAUTH-USER), Gitea/Forgejo reverse-proxy sign-in
            "x-vouch-",                // Vouch Proxy: X-Vouch-User, X-Vouch-IdP-Claims-*
            "x-envoy-",                // Envoy: x-envoy-external-address, x-envoy-internal, x-envoy-original-path
            "x-ssl-",                  // TLS client certificates from nginx/HAProxy set-ups: X-SSL-Client-Cert, -Verify, -DN
            "ssl-",                    // Tomcat SSLValve: ssl_client_cert, ssl_cipher, ssl_session_id, ssl_cipher_usekeysize
            "x-arr-");                 // IIS ARR / Azure App Service: X-ARR-ClientCert, X-ARR-SSL

    /** Single names. */
    private static final Set<String> NAMES = Set.of(
            "forwarded",               // RFC 7239 (Spring ForwardedHeaderFilter, Symfony, Rack 3, Jetty, Tomcat)
            "forwarded-for", "x-forwarded", // read by the common PHP "client IP" snippets (HTTP_FORWARDED_FOR, HTTP_X_FORWARDED)
            "x-real-ip",               // nginx realip's default, many frameworks
            "x-client-ip", "client-ip", // Apache mod_remoteip examples; Rails (HTTP_CLIENT_IP)
            "true-client-ip",          // Akamai, Cloudflare Enterprise
            "fastly-client-ip", "fly-client-ip", "x-cluster-client-ip", "x-proxyuser-ip", "x-originating-ip",
            "x-rewrite-url",           // ISAPI_Rewrite, read by Symfony/Zend as the request URL
            "x-host",                  // read as the request host by some PHP frameworks
            "x-url-scheme", "x-scheme", "front-end-https", "x-proxied-https", // scheme: Rack, WSGI recipes, OWA/ISA, Jetty
            "x-script-name",           // WSGI recipes: becomes SCRIPT_NAME, the app's path prefix
            "proxy-auth-cert", "proxy-ssl-id", // Jetty ForwardedRequestCustomizer: client certificate and TLS session
            "x-client-cert", "x-client-verify", "x-client-dn",
            "x-auth-username", "x-auth-userid", "x-auth-subject", "x-auth-email", "x-auth-roles", "x-auth-groups", // Keycloak Gatekeeper
            "x-userinfo");             // Kong OpenID Connect

    private ClientHeaders() {
    }

    /** The name as gateways may see it ({@link HeaderNames#canonical}). */
    public static String canonical(String name) {
        return HeaderNames.canonical(name);
    }

    /** Whether this is the canonical {@code X-Forwarded-For} (any case), whose lines are kept and appended to. */
    public static boolean isForwardedFor(String name) {
        return name.equalsIgnoreCase(FORWARDED_FOR);
    }

    /**
     * Whether a client-sent header of this name must not reach the backend. True for every spelling of a listed
     * name, including {@code X-Forwarded-For}: the caller handles its canonical spelling first.
     */
    public static boolean isStripped(String name) {
        String c = canonical(name);
        if (NAMES.contains(c)) {
            return true;
        }
        for (String p : PREFIXES) {
            if (c.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
