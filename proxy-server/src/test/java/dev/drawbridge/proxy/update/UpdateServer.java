package dev.drawbridge.proxy.update;

import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.RegistrationRequest;
import dev.drawbridge.model.api.RegistrationResponse;
import dev.drawbridge.proxy.ProxyServer;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.identity.SettableClock;
import dev.drawbridge.proxy.pki.CertificateAuthority;
import dev.drawbridge.proxy.pki.Pem;
import dev.drawbridge.proxy.registration.RegistrationHandler;
import dev.drawbridge.proxy.web.Json;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * A real proxy server (ports 0, a movable clock) for the update endpoints and routes: admin API calls with a token
 * (the bootstrap credential, or a user of each admin role), connector registrations, and requests on the tunnel port
 * with a connector's certificate, all written by hand ({@link Wire}).
 */
final class UpdateServer implements AutoCloseable {
    static final String ADMIN_HOST = "admin.localhost";
    static final String PASSWORD = "correct horse battery staple";

    /** A registered connector: its id, key and certificate, and the registration's answer. */
    record Identity(String id, KeyPair key, X509Certificate cert, RegistrationResponse registration) {
    }

    final SettableClock clock = new SettableClock(Instant.now());
    final ProxyServer server;
    final String bootstrap;
    private final SSLContext anonymous;

    UpdateServer(Path dir) throws Exception {
        server = ProxyServer.start(ServerConfig.defaults(dir).withPorts("127.0.0.1", 0, 0), clock);
        bootstrap = server.newAdminToken().orElseThrow();
        anonymous = Wire.context(server.serverCaCertificate(), null, null);
    }

    Wire.Reply admin(String token, String method, String path, String contentType, byte[] body) throws Exception {
        Map<String, String> h = new LinkedHashMap<>();
        if (token != null) {
            h.put("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            h.put("Content-Type", contentType);
        }
        return Wire.send(anonymous, server.publicPort(), ADMIN_HOST, method, "/api/v1/" + path, h, body);
    }

    Wire.Reply json(String token, String method, String path, Object body) throws Exception {
        return admin(token, method, path, body == null ? null : "application/json",
                body == null ? null : (body instanceof String s ? s : Json.MAPPER.writeValueAsString(body)).getBytes(StandardCharsets.UTF_8));
    }

    /** A token of a directory user holding {@code role} only, for every role. */
    Map<AdminRole, String> roleTokens() throws Exception {
        Map<AdminRole, String> tokens = new EnumMap<>(AdminRole.class);
        for (AdminRole role : AdminRole.values()) {
            String upn = role.name().toLowerCase().replace('_', '-') + "@corp.example";
            String id = json(bootstrap, "POST", "users", Map.of("upn", upn, "displayName", role.name(), "password", PASSWORD)).json()
                    .path("id").asText();
            Wire.Reply set = json(bootstrap, "PUT", "users/" + id + "/roles", Map.of("roles", List.of(role)));
            if (set.status() != 200) {
                throw new IllegalStateException("roles of " + upn + ": " + set);
            }
            Wire.Reply t = json(null, "POST", "auth/token", Map.of("username", upn, "password", PASSWORD));
            tokens.put(role, t.json().path("accessToken").asText());
        }
        return tokens;
    }

    /** Registers a connector in {@code group} (created if new) with a token an administrator made. */
    Identity register(String group, String host, String version) throws Exception {
        json(bootstrap, "POST", "connector-groups", Map.of("name", group));
        String token = json(bootstrap, "POST", "registration-tokens", Map.of("connectorGroup", group)).json().path("token").asText();
        KeyPair key = CertificateAuthority.newKeyPair();
        PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=x"), key.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
        String pem = "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(csr.getEncoded()) + "\n-----END CERTIFICATE REQUEST-----\n";
        Wire.Reply r = Wire.send(anonymous, server.publicPort(), ADMIN_HOST, "POST", RegistrationHandler.PATH,
                Map.of("Content-Type", "application/json"),
                Json.MAPPER.writeValueAsBytes(new RegistrationRequest(token, pem, host, version)));
        if (r.status() != 201) {
            throw new IllegalStateException("registration: " + r);
        }
        RegistrationResponse answer = Json.MAPPER.readValue(r.body(), RegistrationResponse.class);
        return new Identity(answer.connectorId(), key, Pem.parseCertificate(answer.certificatePem()), answer);
    }

    /** A request on the tunnel port with {@code who}'s certificate (null: none). */
    Wire.Reply tunnel(Identity who, String method, String target, String contentType, byte[] body) throws Exception {
        SSLContext ctx = who == null ? anonymous : Wire.context(server.serverCaCertificate(), who.key(), who.cert());
        return Wire.send(ctx, server.tunnelPort(), ADMIN_HOST, method, target,
                contentType == null ? Map.of() : Map.of("Content-Type", contentType), body);
    }

    Wire.Reply report(Identity who, Object report) throws Exception {
        return tunnel(who, "POST", UpdateEndpoints.REPORT, "application/json", Json.MAPPER.writeValueAsBytes(report));
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
