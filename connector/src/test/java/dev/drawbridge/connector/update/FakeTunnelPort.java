package dev.drawbridge.connector.update;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.drawbridge.connector.identity.ConnectorIdentity;
import dev.drawbridge.model.update.UpdateInstruction;
import dev.drawbridge.model.update.UpdateManifest;
import dev.drawbridge.model.update.UpdateReport;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Test fixture: the server's tunnel port as a connector sees it, on 127.0.0.1 and an ephemeral port with mutual TLS (its
 * own server CA and connector CA): the tunnel WebSocket (a multiplexer that answers pings), the three update endpoints
 * ({@code POST /connector/v1/update} records each report and answers what {@link #instructions} says; the bundle and key
 * endpoints serve what the test put there), and a signing key ({@link #updateKey}) for real ES256 manifests.
 */
final class FakeTunnelPort implements AutoCloseable {
    /** The Upgrade header of each tunnel request that was not a WebSocket upgrade (this port refuses them, as older servers). */
    final Queue<String> otherTunnelUpgrades = new ConcurrentLinkedQueue<>();
    static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule()).build();
    final ECKey updateKey;
    final List<UpdateReport> reports = new CopyOnWriteArrayList<>();
    final AtomicInteger keyRequests = new AtomicInteger();
    final AtomicInteger tunnelsOpened = new AtomicInteger();
    /** The tunnels' ends, in the order they connected. */
    final List<FakeTunnelEnd> ends = new CopyOnWriteArrayList<>();
    /** What to serve for {@code GET .../bundle?version=}: the bytes, and a Content-Length to announce (-1: none, chunked). */
    final Map<String, Served> bundles = new ConcurrentHashMap<>();
    volatile Function<UpdateReport, UpdateInstruction> instructions = r -> UpdateInstruction.none("up to date");
    private final Server server = new Server();
    private final ServerConnector connector;
    private final KeyPair connectorKey, connectorCaKey;
    private final X509Certificate serverCa, connectorCert;

    record Served(byte[] bytes, long contentLength) {
    }

    FakeTunnelPort() throws Exception {
        updateKey = new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
        KeyPair caKey = ec(), serverKey = ec();
        connectorCaKey = ec();
        connectorKey = ec();
        serverCa = cert("CN=fake server CA", caKey.getPublic(), "CN=fake server CA", caKey.getPrivate(), true, false);
        X509Certificate serverCert = cert("CN=127.0.0.1", serverKey.getPublic(), "CN=fake server CA", caKey.getPrivate(), false, true);
        X509Certificate connectorCa = cert("CN=fake connector CA", connectorCaKey.getPublic(), "CN=fake connector CA",
                connectorCaKey.getPrivate(), true, false);
        connectorCert = cert("CN=c-1", connectorKey.getPublic(), "CN=fake connector CA", connectorCaKey.getPrivate(), false, false);

        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", serverKey.getPrivate(), "pw".toCharArray(), new Certificate[]{serverCert, serverCa});
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("connector-ca", connectorCa);
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(ks);
        tls.setKeyStorePassword("pw");
        tls.setTrustStore(trust);
        tls.setNeedClientAuth(true);
        HttpConfiguration http = new HttpConfiguration();
        SecureRequestCustomizer src = new SecureRequestCustomizer();
        src.setSniHostCheck(false);
        http.addCustomizer(src);
        connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, c -> c.addMapping("/connector/v1/tunnel",
                (rq, rs, cb) -> {
                    FakeTunnelEnd end = new FakeTunnelEnd(tunnelsOpened);
                    ends.add(end);
                    return end;
                }));
        ws.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                return serve(request, response, callback);
            }
        });
        server.setHandler(ws);
        server.start();
    }

    /** Forgets what the last test recorded and served: reports, bundles, key requests; answers "up to date" again. */
    void reset() {
        reports.clear();
        bundles.clear();
        keyRequests.set(0);
        instructions = r -> UpdateInstruction.none("up to date");
    }

    /** Kills {@code supervisor} and every process it started (the supervised connector), if still running. */
    static void destroyTree(Process supervisor) {
        if (supervisor != null && supervisor.isAlive()) {
            List<ProcessHandle> all = supervisor.descendants().toList();
            supervisor.destroyForcibly();
            all.forEach(ProcessHandle::destroyForcibly);
        }
    }

    int port() {
        return connector.getLocalPort();
    }

    /** Stores a registered identity for this port in {@code stateDir}, with the update key pinned or not. */
    void writeIdentity(Path stateDir, boolean pinKey) throws Exception {
        new ConnectorIdentity("c-1", "https://127.0.0.1:" + port(), "wss://127.0.0.1:" + port() + "/connector/v1/tunnel",
                connectorKey.getPrivate(), connectorCert, serverCa, pinKey ? updateKey.toPublicJWK().toJSONString() : "").save(stateDir);
    }

    /** As {@link #writeIdentity}, with a certificate from this port's connector CA that expired an hour ago. */
    void writeExpiredIdentity(Path stateDir) throws Exception {
        Instant now = Instant.now();
        X509Certificate expired = cert("CN=c-1", connectorKey.getPublic(), "CN=fake connector CA", connectorCaKey.getPrivate(), false, false,
                now.minus(Duration.ofDays(2)), now.minus(Duration.ofHours(1)));
        new ConnectorIdentity("c-1", "https://127.0.0.1:" + port(), "wss://127.0.0.1:" + port() + "/connector/v1/tunnel",
                connectorKey.getPrivate(), expired, serverCa, updateKey.toPublicJWK().toJSONString()).save(stateDir);
    }

    /** A manifest of {@code bundle} for {@code version}, signed by this port's update key. */
    String manifest(String version, byte[] bundle) throws Exception {
        return sign(updateKey, new UpdateManifest("drawbridge-connector", version, sha256(bundle), bundle.length, Instant.now()));
    }

    static String sign(ECKey key, UpdateManifest m) throws Exception {
        JWSObject o = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType(UpdateManifest.JWS_TYPE))
                .keyID(key.computeThumbprint().toString()).build(), new Payload(JSON.writeValueAsString(m)));
        o.sign(new ECDSASigner(key));
        return o.serialize();
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** Serves {@code bundle} as {@code version}, announcing its true length. */
    void serveBundle(String version, byte[] bundle) {
        bundles.put(version, new Served(bundle, bundle.length));
    }

    /** The reports so far (a copy). */
    List<UpdateReport> reports() {
        return List.copyOf(reports);
    }

    private boolean serve(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if ("/connector/v1/tunnel".equals(path)) {
            // Not a WebSocket upgrade: what a server of an older version answers to any other upgrade (no route: 404).
            otherTunnelUpgrades.add(String.valueOf(request.getHeaders().get(HttpHeader.UPGRADE)));
            return false;
        }
        switch (path) {
            case "/connector/v1/update" -> {
                if (!"POST".equals(request.getMethod())) {
                    return false;
                }
                UpdateReport r = JSON.readValue(Content.Source.asString(request, StandardCharsets.UTF_8), UpdateReport.class);
                reports.add(r);
                json(response, callback, 200, JSON.writeValueAsString(instructions.apply(r)));
                return true;
            }
            case "/connector/v1/update/key" -> {
                keyRequests.incrementAndGet();
                json(response, callback, 200, JSON.writeValueAsString(Map.of("jwk", updateKey.toPublicJWK().toJSONString())));
                return true;
            }
            case "/connector/v1/update/bundle" -> {
                Fields q = Request.extractQueryParameters(request);
                Served s = bundles.get(String.valueOf(q.getValue("version")));
                if (s == null) {
                    json(response, callback, 404, "{\"detail\":\"no such version\"}");
                    return true;
                }
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/zip");
                if (s.contentLength() >= 0) {
                    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, s.contentLength());
                }
                if (s.contentLength() >= 0) {
                    response.write(true, ByteBuffer.wrap(s.bytes()), callback);
                } else {
                    // Two writes: chunked, no length announced.
                    int half = s.bytes().length / 2;
                    response.write(false, ByteBuffer.wrap(s.bytes(), 0, half), Callback.from(
                            () -> response.write(true, ByteBuffer.wrap(s.bytes(), half, s.bytes().length - half), callback), callback::failed));
                }
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private static void json(Response response, Callback callback, int status, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }


    private static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    private static X509Certificate cert(String subject, PublicKey key, String issuer, PrivateKey signer, boolean ca, boolean server)
            throws Exception {
        Instant now = Instant.now();
        return cert(subject, key, issuer, signer, ca, server, now.minusSeconds(300), now.plusSeconds(86_400));
    }

    static X509Certificate cert(String subject, PublicKey key, String issuer, PrivateKey signer, boolean ca, boolean server,
                                Instant notBefore, Instant notAfter) throws Exception {
        var b = new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(Instant.now().toEpochMilli() ^ subject.hashCode()),
                Date.from(notBefore), Date.from(notAfter), new X500Name(subject), key);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (server) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
        }
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
