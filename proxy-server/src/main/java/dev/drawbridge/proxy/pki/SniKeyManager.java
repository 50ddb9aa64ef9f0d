package dev.drawbridge.proxy.pki;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.KeyPair;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves a certificate naming exactly the host the client asked for (SNI), issued on first use by
 * the server CA and cached. Clients such as curl and Chromium refuse a wildcard directly under a
 * top-level name ({@code *.localhost}), so each app host gets its own certificate instead. Only
 * names under the configured domain (and the domain itself) are issued; anything else gets the
 * default certificate.
 */
public final class SniKeyManager extends X509ExtendedKeyManager {
    private static final String DEFAULT = "default";
    private static final int MAX_CACHED = 10_000;

    private final CertificateAuthority ca;
    private final String domain;
    private final KeyPair leafKey = CertificateAuthority.newKeyPair();
    private final Map<String, X509Certificate[]> chains = new ConcurrentHashMap<>();
    private final X509Certificate[] defaultChain;

    public SniKeyManager(CertificateAuthority ca, String domain) {
        this.ca = ca;
        this.domain = domain.toLowerCase(Locale.ROOT);
        this.defaultChain = issue(List.of("*." + this.domain, this.domain, "localhost"));
    }

    private X509Certificate[] issue(List<String> names) {
        X509Certificate leaf = ca.issueServerCertificate(leafKey.getPublic(), names, List.of("127.0.0.1"), Duration.ofDays(397));
        return new X509Certificate[]{leaf, ca.certificate()};
    }

    private String aliasFor(SSLSession handshake) {
        if (handshake instanceof ExtendedSSLSession ext) {
            for (SNIServerName n : ext.getRequestedServerNames()) {
                if (n instanceof SNIHostName h) {
                    String host = h.getAsciiName().toLowerCase(Locale.ROOT);
                    if (host.equals(domain) || host.endsWith("." + domain)) {
                        return host;
                    }
                }
            }
        }
        return DEFAULT;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        if (!"EC".equals(keyType)) {
            return null;
        }
        return aliasFor(engine.getHandshakeSession());
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        if (!"EC".equals(keyType)) {
            return null;
        }
        return socket instanceof javax.net.ssl.SSLSocket s ? aliasFor(s.getHandshakeSession()) : DEFAULT;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        if (alias == null || alias.equals(DEFAULT)) {
            return defaultChain;
        }
        if (chains.size() > MAX_CACHED) {
            chains.clear();
        }
        return chains.computeIfAbsent(alias, a -> issue(List.of(a))).clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return leafKey.getPrivate();
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return "EC".equals(keyType) ? new String[]{DEFAULT} : null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
