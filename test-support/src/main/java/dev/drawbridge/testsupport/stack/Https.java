package dev.drawbridge.testsupport.stack;

import dev.drawbridge.model.http.LocalhostNames;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/** HTTP clients for tests and the demo: trust the server's CA, resolve *.localhost to loopback. */
public final class Https {
    private Https() {
    }

    public static HttpClient client(X509Certificate serverCa) throws Exception {
        return client(serverCa, false);
    }

    /** A client; with {@code keepCookies} it stores and sends cookies like a browser (per host, Secure, Path). */
    public static HttpClient client(X509Certificate serverCa, boolean keepCookies) throws Exception {
        return client(serverCa, keepCookies, Optional.empty());
    }

    /**
     * A client whose connections leave from {@code sourceAddress} (any 127.x.y.z works on Linux): tests of per-address
     * limits give each scenario its own client address.
     */
    public static HttpClient client(X509Certificate serverCa, boolean keepCookies, Optional<String> sourceAddress) throws Exception {
        return client(List.of(serverCa), keepCookies, sourceAddress);
    }

    /** A client that trusts each of {@code cas} (the server CA and the CA of a custom domain's certificate). */
    public static HttpClient client(List<X509Certificate> cas, boolean keepCookies, Optional<String> sourceAddress) throws Exception {
        SslContextFactory.Client tls = new SslContextFactory.Client();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        for (int i = 0; i < cas.size(); i++) {
            ks.setCertificateEntry("ca" + i, cas.get(i));
        }
        tls.setTrustStore(ks);
        ClientConnector cc = new ClientConnector();
        cc.setSslContextFactory(tls);
        sourceAddress.ifPresent(a -> cc.setBindAddress(new InetSocketAddress(a, 0)));
        HttpClient http = new HttpClient(new HttpClientTransportOverHTTP(cc));
        http.setFollowRedirects(false);
        http.setMaxConnectionsPerDestination(1024);
        http.setHttpCookieStore(keepCookies ? new HttpCookieStore.Default()
                : new HttpCookieStore.Empty());
        http.getContentDecoderFactories().clear();
        // Before start() the client has no resolver of its own yet: other names (e.g. an identity provider) resolve normally.
        SocketAddressResolver system = http.getSocketAddressResolver() != null ? http.getSocketAddressResolver()
                : new SocketAddressResolver.Sync();
        http.setSocketAddressResolver((host, port, ctx, promise) -> LocalhostNames.loopbackFor(host)
                .ifPresentOrElse(a -> promise.succeeded(List.of(new InetSocketAddress(a, port))),
                        () -> system.resolve(host, port, ctx, promise)));
        http.start();
        return http;
    }
}
