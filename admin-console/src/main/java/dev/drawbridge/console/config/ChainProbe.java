package dev.drawbridge.console.config;

import dev.drawbridge.model.http.LocalhostNames;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Fetches the certificate chain a server presents, without trusting it, so the user can decide on first use.
 * Nothing is sent over this connection: it closes right after the handshake.
 */
public final class ChainProbe {
    private ChainProbe() {
    }

    public static List<X509Certificate> fetch(URI server) throws IOException {
        String host = server.getHost();
        int port = server.getPort() > 0 ? server.getPort() : 443;
        X509Certificate[][] seen = new X509Certificate[1][];
        TrustManager capture = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                // This trust manager only ever sits on the client side of a handshake.
                throw new CertificateException("the console does not accept client certificates");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // Only recorded here; the user decides whether to trust it.
                seen[0] = chain.clone();
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[]{capture}, null);
            InetAddress addr = LocalhostNames.loopbackFor(host).orElseGet(() -> null);
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket()) {
                s.connect(addr != null ? new InetSocketAddress(addr, port) : new InetSocketAddress(host, port), 10_000);
                s.setSoTimeout(10_000);
                SSLParameters p = s.getSSLParameters();
                p.setServerNames(List.of(new SNIHostName(host)));
                s.setSSLParameters(p);
                s.startHandshake();
            }
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
        if (seen[0] == null || seen[0].length == 0) {
            throw new IOException(host + " presented no certificate");
        }
        return Arrays.asList(seen[0]);
    }
}
