package dev.drawbridge.systemtests.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * One HTTPS request written by hand, for what an HTTP client library will not do: connect from a chosen loopback
 * address (127.0.0.1, 127.0.0.2, ... are all this machine) and send raw bytes, such as a PROXY protocol header,
 * before the TLS handshake.
 */
final class RawTls {
    private final SSLContext tls;
    private final int port;

    RawTls(X509Certificate serverCa, int port) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", serverCa);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        this.tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        this.port = port;
    }

    /**
     * Connects from {@code from}, writes {@code preamble}, then over TLS (SNI {@code host}) an HTTP/1.0 GET of
     * {@code path} with {@code headers}; returns the whole response, or null when the server closed the
     * connection before answering (the handshake failed or no response came).
     */
    String get(String from, byte[] preamble, String host, String path, String... headers) throws IOException {
        try (Socket raw = new Socket()) {
            raw.bind(new InetSocketAddress(InetAddress.ofLiteral(from), 0));
            raw.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            raw.setSoTimeout(20_000);
            try {
                raw.getOutputStream().write(preamble);
                raw.getOutputStream().flush();
            } catch (IOException closed) {
                return null;
            }
            try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(raw, host, port, true)) {
                SSLParameters p = s.getSSLParameters();
                p.setServerNames(List.of(new SNIHostName(host)));
                p.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(p);
                StringBuilder req = new StringBuilder("GET " + path + " HTTP/1.0\r\nHost: " + host + ":" + port + "\r\n");
                for (String h : headers) {
                    req.append(h).append("\r\n");
                }
                String response;
                try {
                    s.startHandshake();
                    s.getOutputStream().write(req.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().flush();
                    response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException refused) {
                    return null;
                }
                return response.isEmpty() ? null : response;
            }
        }
    }

    /** The status code of a response. */
    static int status(String response) {
        return Integer.parseInt(response.substring(9, 12));
    }
}
