package dev.drawbridge.connector.http;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A guard (from the issue 11 review; it passed on main): the outbound proxy's credentials go to the proxy only (OutboundProxy's
 * Javadoc: "sent preemptively as Proxy-Authorization: Basic on each CONNECT and to nobody else"). Jetty's HttpClient
 * applies a proxy's authentication result in HttpConnection.normalizeRequest to requests of a proxied destination, so the
 * reviewer checked on the wire that the https requests inside the CONNECT tunnel do not carry it to the server: a real
 * TLS server behind a real CONNECT proxy on loopback shows what each gets.
 */
@Timeout(30)
class ProxyCredentialsOnlyToTheProxyTest {
    private final List<String> seenByProxy = new CopyOnWriteArrayList<>();
    private final List<String> seenByServer = new CopyOnWriteArrayList<>();

    @Test
    void theProxysPasswordReachesTheProxyAndNotTheServerBehindIt() throws Exception {
        Server server = tlsServer();
        try (ServerSocket proxy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> acceptConnects(proxy));
            SslContextFactory.Client tls = new SslContextFactory.Client(true);
            tls.setEndpointIdentificationAlgorithm(null);
            ClientConnector cc = new ClientConnector();
            cc.setSslContextFactory(tls);
            HttpClient http = new HttpClient(new HttpClientTransportOverHTTP(cc));
            OutboundProxy.of("http://127.0.0.1:" + proxy.getLocalPort(), Optional.of("svc-proxy"), Optional.of("pr0xy-s3cret")).applyTo(http);
            http.start();
            try {
                int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
                ContentResponse r = http.GET("https://localhost:" + port + "/connector/v1/endpoints");
                assertThat(r.getStatus()).isEqualTo(200);
            } finally {
                http.stop();
            }
        } finally {
            server.stop();
        }
        assertThat(seenByProxy).as("the CONNECT carries the proxy's credentials").singleElement().asString().startsWith("Basic ");
        assertThat(seenByServer).as("Proxy-Authorization headers the server behind the proxy received").isEmpty();
    }

    private Server tlsServer() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        KeyPair kp = g.generateKeyPair();
        X500Name name = new X500Name("CN=localhost");
        Instant now = Instant.now();
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name, BigInteger.TWO,
                Date.from(now.minusSeconds(60)), Date.from(now.plusSeconds(3600)), name, kp.getPublic())
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, "localhost")))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", kp.getPrivate(), "pw".toCharArray(), new Certificate[] {cert});
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(ks);
        tls.setKeyStorePassword("pw");
        Server s = new Server();
        ServerConnector c = new ServerConnector(s, tls);
        c.setHost("127.0.0.1");
        s.addConnector(c);
        s.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String auth = request.getHeaders().get(HttpHeader.PROXY_AUTHORIZATION);
                if (auth != null) {
                    seenByServer.add(auth);
                }
                response.setStatus(200);
                callback.succeeded();
                return true;
            }
        });
        s.start();
        return s;
    }

    /** A minimal CONNECT proxy: records the request's Proxy-Authorization, answers 200, then relays bytes both ways. */
    private void acceptConnects(ServerSocket proxy) {
        while (!proxy.isClosed()) {
            try {
                Socket client = proxy.accept();
                Thread.ofVirtual().start(() -> tunnel(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void tunnel(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            String head = readHead(in);
            String target = head.split(" ")[1];
            head.lines().filter(l -> l.regionMatches(true, 0, "Proxy-Authorization:", 0, 20))
                    .forEach(l -> seenByProxy.add(l.substring(20).strip()));
            int colon = target.lastIndexOf(':');
            try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(target.substring(colon + 1)))) {
                client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                Thread back = Thread.ofVirtual().start(() -> relay(upstream, client));
                relay(client, upstream);
                back.join();
            }
        } catch (IOException | InterruptedException ignored) {
            // the test's assertions tell
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            b.write(c);
            String s = b.toString(StandardCharsets.ISO_8859_1);
            if (s.endsWith("\r\n\r\n")) {
                return s;
            }
        }
        throw new IOException("no CONNECT head");
    }

    private static void relay(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            in.transferTo(out);
            to.shutdownOutput();
        } catch (IOException ignored) {
            // one side closed
        }
    }
}
