package dev.drawbridge.proxy.pki;

import java.net.Socket;
import java.security.KeyPair;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Serves a certificate naming exactly the host the client asked for (SNI), issued on first use by
 * the server CA and cached. Clients such as curl and Chromium refuse a wildcard directly under a
 * top-level name ({@code *.localhost}), so each app host gets its own certificate instead. Only
 * names under the configured domain (and the domain itself) are issued; anything else gets the
 * default certificate.
 *
 * <p>On the public listener, uploaded certificates come first, by host:
 * <ul>
 *   <li>the admin host: always the server CA's certificate (connectors pin it when they register);</li>
 *   <li>the sign-in host: the server certificate a global administrator set ({@link ServerCertificateStore}), else the CA's;</li>
 *   <li>any other host: an app certificate covering it ({@link CertificateStore}), else the server certificate if it
 *       covers it, else the CA's.</li>
 * </ul>
 * App certificates are never served for the server's own hosts. The tunnel listener has its own instance
 * ({@link #issuedOnly}) that serves only the server CA's certificates, whatever is uploaded.
 */
public final class SniKeyManager extends X509ExtendedKeyManager {
    private static final String DEFAULT = "default";
    private static final int MAX_CACHED = 10_000;

    private static final String SERVER = "server:";
    private final CertificateAuthority ca;
    private final String domain;
    private final OwnHosts own;
    private final boolean issuedOnly;
    private volatile ServerCertificateStore server;
    private final KeyPair leafKey = CertificateAuthority.newKeyPair();
    private final Map<String, X509Certificate[]> chains = new ConcurrentHashMap<>();
    private final X509Certificate[] defaultChain;
    private static final String CUSTOM = "custom:";
    private volatile CertificateStore custom;

    private SniKeyManager(CertificateAuthority ca, String domain, OwnHosts own, boolean issuedOnly) {
        this.ca = ca;
        this.domain = domain.toLowerCase(Locale.ROOT);
        this.own = own;
        this.issuedOnly = issuedOnly;
        this.defaultChain = issue(List.of("*." + this.domain, this.domain, "localhost"));
    }

    /** For the public listener: uploaded certificates (once attached) by the rules above, else the server CA's. */
    public static SniKeyManager forPublicListener(CertificateAuthority ca, String domain, OwnHosts own) {
        return new SniKeyManager(ca, domain, own, false);
    }

    /** For the tunnel listener: only certificates the server CA issues; nothing uploaded can be attached. */
    public static SniKeyManager issuedOnly(CertificateAuthority ca, String domain, OwnHosts own) {
        return new SniKeyManager(ca, domain, own, true);
    }

    private X509Certificate[] issue(List<String> names) {
        X509Certificate leaf = ca.issueServerCertificate(leafKey.getPublic(), names, List.of("127.0.0.1"), Duration.ofDays(397));
        return new X509Certificate[]{leaf, ca.certificate()};
    }

    /** App certificates for custom domains: served whenever one covers the SNI host, except the server's own hosts. */
    public void useCustomCertificates(CertificateStore store) {
        requireUploadsAllowed();
        this.custom = store;
    }

    /** The server certificate: served for the sign-in host, and for other hosts it covers that no app certificate covers. */
    public void useServerCertificate(ServerCertificateStore store) {
        requireUploadsAllowed();
        this.server = store;
    }

    private void requireUploadsAllowed() {
        if (issuedOnly) {
            throw new IllegalStateException("this key manager serves only certificates the server CA issues");
        }
    }

    private String aliasFor(String keyType, SSLSession handshake) {
        if (handshake instanceof ExtendedSSLSession ext) {
            for (SNIServerName n : ext.getRequestedServerNames()) {
                if (n instanceof SNIHostName h) {
                    String host = HostNames.canonical(h.getAsciiName());
                    CertificateStore apps = custom;
                    var uploaded = apps == null || own.contains(host) ? Optional.<CertificateStore.Loaded>empty() : apps.find(host);
                    if (uploaded.isPresent()) {
                        return suits(keyType, uploaded.get().key().getAlgorithm()) ? CUSTOM + uploaded.get().id() : null;
                    }
                    ServerCertificateStore serverStore = server;
                    var serverCert = serverStore == null || host.equals(own.admin())
                            ? Optional.<CertificateStore.Loaded>empty() : serverStore.find(host);
                    if (serverCert.isPresent()) {
                        return suits(keyType, serverCert.get().key().getAlgorithm()) ? SERVER + serverCert.get().id() : null;
                    }
                    if (!"EC".equals(keyType)) {
                        return null;
                    }
                    if (host.equals(domain) || host.endsWith("." + domain)) {
                        return host;
                    }
                }
            }
        }
        return "EC".equals(keyType) ? DEFAULT : null;
    }

    private static boolean suits(String keyType, String keyAlgorithm) {
        return keyType.equals(keyAlgorithm) || ("RSASSA-PSS".equals(keyType) && "RSA".equals(keyAlgorithm));
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyType, engine.getHandshakeSession());
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return socket instanceof SSLSocket s ? aliasFor(keyType, s.getHandshakeSession()) : "EC".equals(keyType) ? DEFAULT : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        if (alias == null || alias.equals(DEFAULT)) {
            return defaultChain;
        }
        if (alias.startsWith(CUSTOM)) {
            CertificateStore store = custom;
            return store == null ? null : store.byId(alias.substring(CUSTOM.length())).map(l -> l.chain().clone()).orElse(null);
        }
        if (alias.startsWith(SERVER)) {
            ServerCertificateStore store = server;
            return store == null ? null : store.byId(alias.substring(SERVER.length())).map(l -> l.chain().clone()).orElse(null);
        }
        if (chains.size() > MAX_CACHED) {
            chains.clear();
        }
        return chains.computeIfAbsent(alias, a -> issue(List.of(a))).clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        if (alias != null && alias.startsWith(CUSTOM)) {
            CertificateStore store = custom;
            return store == null ? null : store.byId(alias.substring(CUSTOM.length())).map(CertificateStore.Loaded::key).orElse(null);
        }
        if (alias != null && alias.startsWith(SERVER)) {
            ServerCertificateStore store = server;
            return store == null ? null : store.byId(alias.substring(SERVER.length())).map(CertificateStore.Loaded::key).orElse(null);
        }
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
