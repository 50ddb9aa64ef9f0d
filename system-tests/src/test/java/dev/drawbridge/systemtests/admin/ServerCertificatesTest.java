package dev.drawbridge.systemtests.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.cli.DrawbridgeCli;
import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.proxy.pki.CertificateAuthority;
import dev.drawbridge.proxy.pki.Pem;
import dev.drawbridge.proxy.web.Json;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemWriter;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.StringRequestContent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Certificates for the server's own hosts against a real server: every role uploading an app certificate and the
 * server certificate; app certificates naming the admin or sign-in host in every spelling (exact, wildcard, partial
 * wildcard, upper case, trailing dot, only in the subject CN) refused; and what real TLS handshakes are served, by
 * SNI host, on the public listener and on the tunnel listener after each kind of upload. Only the server CA's
 * certificate is ever served for the admin host and on the tunnel listener.
 */
class ServerCertificatesTest {
    static final String PASSWORD = "correct horse battery staple";
    static final CertificateAuthority CONTOSO = CertificateAuthority.create("Contoso Public Root", Duration.ofDays(30), Clock.systemUTC());
    static final String ADMIN = "admin.localhost";
    static final String LOGIN = "login.localhost";

    @TempDir
    static Path dir;
    static DrawbridgeStack stack;
    /** Callers: every role, and the bootstrap credential (null key). */
    static final Map<String, String> tokens = new LinkedHashMap<>();
    static final Map<AdminRole, String> roleTokens = new EnumMap<>(AdminRole.class);

    // ---- Who may upload what (docs/admin.md), written out ----
    static final Set<String> MAY_UPLOAD_APP_CERTIFICATES = Set.of("BOOTSTRAP", "GLOBAL_ADMINISTRATOR", "APPLICATION_ADMINISTRATOR");
    static final Set<String> MAY_SET_THE_SERVER_CERTIFICATE = Set.of("BOOTSTRAP", "GLOBAL_ADMINISTRATOR");

    @BeforeAll
    static void start() throws Exception {
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        tokens.put("BOOTSTRAP", stack.adminToken());
        for (AdminRole role : AdminRole.values()) {
            String upn = "certs-" + role.name().toLowerCase().replace('_', '-') + "@corp.example";
            String id = stack.api("POST", "users", Map.of("upn", upn, "displayName", role.name(), "password", PASSWORD)).body().path("id").asText();
            assertThat(stack.api("PUT", "users/" + id + "/roles", Map.of("roles", List.of(role))).status()).isEqualTo(200);
            var t = call(null, "POST", "auth/token", Map.of("username", upn, "password", PASSWORD));
            assertThat(t.status()).as(String.valueOf(t.body())).isEqualTo(200);
            tokens.put(role.name(), t.body().path("accessToken").asText());
            roleTokens.put(role, t.body().path("accessToken").asText());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    record Answer(int status, JsonNode body) {
    }

    static Answer call(String token, String method, String path, Object body) throws Exception {
        var req = stack.http().newRequest(stack.adminUrl().resolve("/api/v1/" + path)).method(method).timeout(30, TimeUnit.SECONDS);
        if (token != null) {
            req.headers(h -> h.put("Authorization", "Bearer " + token));
        }
        if (body != null) {
            req.body(new StringRequestContent("application/json", Json.MAPPER.writeValueAsString(body)));
        }
        ContentResponse r = req.send();
        return new Answer(r.getStatus(), r.getContent().length == 0 ? null : Json.MAPPER.readTree(r.getContent()));
    }

    /** A certificate from Contoso's (public-like) CA for {@code names}, with its key, as PEM. */
    static String pem(String... names) throws Exception {
        KeyPair key = CertificateAuthority.newKeyPair();
        X509Certificate leaf = CONTOSO.issueServerCertificate(key.getPublic(), List.of(names), List.of(), Duration.ofDays(20));
        return Pem.encode(leaf) + Pem.encode(CONTOSO.certificate()) + pkcs8(key.getPrivate());
    }

    /** A certificate whose subject CN is {@code cn} while its subjectAltName names only {@code san}. */
    static String pemWithCommonName(String cn, String san) throws Exception {
        KeyPair key = CertificateAuthority.newKeyPair();
        Instant now = Instant.now();
        var b = new JcaX509v3CertificateBuilder(new X500Name(CONTOSO.certificate().getSubjectX500Principal().getName()),
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(20))),
                new X500Name("CN=" + cn), key.getPublic())
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, san)));
        X509Certificate leaf = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(CONTOSO.privateKey())));
        return Pem.encode(leaf) + Pem.encode(CONTOSO.certificate()) + pkcs8(key.getPrivate());
    }

    static String pkcs8(PrivateKey key) throws Exception {
        StringWriter w = new StringWriter();
        try (PemWriter pw = new PemWriter(w)) {
            pw.writeObject(new JcaPKCS8Generator(key, null).generate());
        }
        return w.toString();
    }

    /** The leaf a TLS handshake with SNI {@code host} on {@code port} is served (recorded before any client-certificate failure). */
    static X509Certificate served(int port, String host) throws Exception {
        AtomicReference<X509Certificate> seen = new AtomicReference<>();
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[]{new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                seen.set(chain[0]);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(host)));
            s.setSSLParameters(p);
            s.startHandshake();
        } catch (SSLException e) {
            // The tunnel listener wants a client certificate; the server's was seen before it said so.
        }
        assertThat(seen.get()).as("certificate served for " + host + " on port " + port).isNotNull();
        return seen.get();
    }

    static boolean fromServerCa(X509Certificate leaf) throws Exception {
        try {
            leaf.verify(stack.server().serverCaCertificate().getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    static boolean fromContoso(X509Certificate leaf) {
        try {
            leaf.verify(CONTOSO.certificate().getPublicKey());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Every own host, on both listeners, is served the server CA's certificate; and the tunnel listener never anything else. */
    static List<String> ownHostsNotOnServerCa(String after) throws Exception {
        List<String> wrong = new ArrayList<>();
        int pub = stack.server().publicPort(), tunnel = stack.server().tunnelPort();
        for (String host : List.of(ADMIN, "ADMIN.LOCALHOST", LOGIN, "Login.LocalHost")) {
            for (int port : List.of(pub, tunnel)) {
                X509Certificate leaf = served(port, host);
                if (!fromServerCa(leaf)) {
                    wrong.add(after + ": " + host + " on " + (port == pub ? "public" : "tunnel") + " served " + leaf.getSubjectX500Principal());
                }
            }
        }
        for (String host : List.of("hr.contoso.test", "app.localhost", "anything.example")) {
            X509Certificate leaf = served(tunnel, host);
            if (!fromServerCa(leaf)) {
                wrong.add(after + ": " + host + " on tunnel served " + leaf.getSubjectX500Principal());
            }
        }
        return wrong;
    }

    @Test
    void everyRoleUploadingAnAppCertificateAndTheServerCertificate() throws Exception {
        List<String> wrong = new ArrayList<>();
        int n = 0;
        for (var caller : tokens.entrySet()) {
            String who = caller.getKey();
            Answer app = call(caller.getValue(), "POST", "certificates", Map.of("pem", pem("app-" + (n++) + ".contoso.test")));
            int wantApp = MAY_UPLOAD_APP_CERTIFICATES.contains(who) ? 201 : 403;
            if (app.status() != wantApp) {
                wrong.add(who + " app certificate: expected " + wantApp + ", got " + app.status() + " " + app.body());
            }
            Answer server = call(caller.getValue(), "PUT", "server-certificate", Map.of("pem", pem(LOGIN)));
            int wantServer = MAY_SET_THE_SERVER_CERTIFICATE.contains(who) ? 200 : 403;
            if (server.status() != wantServer) {
                wrong.add(who + " server certificate: expected " + wantServer + ", got " + server.status() + " " + server.body());
            }
            Answer read = call(caller.getValue(), "GET", "server-certificate", null);
            int wantRead = who.equals("HELPDESK_ADMINISTRATOR") ? 403 : 200;
            if (read.status() != wantRead) {
                wrong.add(who + " reading the server certificate: expected " + wantRead + ", got " + read.status());
            }
        }
        for (var caller : tokens.entrySet()) {
            if (!MAY_SET_THE_SERVER_CERTIFICATE.contains(caller.getKey())) {
                Answer remove = call(caller.getValue(), "DELETE", "server-certificate", null);
                if (remove.status() != 403) {
                    wrong.add(caller.getKey() + " removing the server certificate: expected 403, got " + remove.status());
                }
            }
        }
        assertThat(wrong).isEmpty();
        JsonNode audit = stack.api("GET", "audit-logs?targetType=server-certificate", null).body();
        assertThat(audit.path("items").findValuesAsText("actor")).contains("admin", "certs-global-administrator@corp.example");
        assertThat(audit.toString()).doesNotContain("PRIVATE KEY");
        assertThat(stack.api("DELETE", "server-certificate", null).status()).isEqualTo(204);
        assertThat(stack.api("GET", "server-certificate", null).status()).isEqualTo(404);
    }

    @Test
    void appCertificatesNamingTheServersOwnHostsAreRefusedInEverySpelling() throws Exception {
        Map<String, String> uploads = new LinkedHashMap<>();
        for (String name : List.of(ADMIN, LOGIN, "*.localhost", "ADMIN.LOCALHOST", "Login.LocalHost", "admin.localhost.", "LOGIN.localhost.",
                "*.LOCALHOST.", "a*.localhost", "*in.localhost", "l*n.localhost")) {
            uploads.put(name, pem("ok-" + uploads.size() + ".contoso.test", name));
        }
        uploads.put("CN=admin.localhost", pemWithCommonName(ADMIN, "cn-trick.contoso.test"));
        List<String> wrong = new ArrayList<>();
        for (var upload : uploads.entrySet()) {
            for (String uploader : List.of("APPLICATION_ADMINISTRATOR", "BOOTSTRAP")) {
                Answer a = call(tokens.get(uploader), "POST", "certificates", Map.of("pem", upload.getValue()));
                String detail = a.body() == null ? "" : a.body().path("detail").asText();
                if (a.status() != 400 || !(detail.contains(ADMIN) || detail.contains(LOGIN))
                        || !a.body().path("errors").findValuesAsText("field").contains("pem")) {
                    wrong.add(uploader + " uploading " + upload.getKey() + ": " + a.status() + " " + a.body());
                }
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(stack.api("GET", "certificates", null).body().findValuesAsText("hosts").toString()).doesNotContain("localhost");
        // The same names elsewhere are fine: a sibling of the server's hosts, and a host that merely ends like one.
        assertThat(call(tokens.get("APPLICATION_ADMINISTRATOR"), "POST", "certificates", Map.of("pem", pem("hr.localhost"))).status()).isEqualTo(201);
        assertThat(call(tokens.get("APPLICATION_ADMINISTRATOR"), "POST", "certificates", Map.of("pem", pem("notadmin.localhost.contoso.test")))
                .status()).isEqualTo(201);
    }

    /**
     * The server's own hosts are no app's: an app published at the admin or sign-in host (one label under the domain,
     * like any app) would claim a host whose TLS and routing belong to global administrators. Refused for every caller
     * that may publish or re-point apps, in every spelling, on publish and on update.
     */
    @Test
    void noCallerPublishesAnAppOnTheServersOwnHosts() throws Exception {
        int pub = stack.server().publicPort();
        List<String> urls = new ArrayList<>();
        for (String host : List.of(ADMIN, LOGIN, "Admin.LocalHost", "LOGIN.LOCALHOST", ADMIN + ".", LOGIN + ".")) {
            for (String path : List.of("/", "/portal/", "/connector/v1/")) {
                urls.add("https://" + host + ":" + pub + path);
            }
        }
        List<String> wrong = new ArrayList<>();
        int n = 0;
        for (String caller : List.of("BOOTSTRAP", "GLOBAL_ADMINISTRATOR", "APPLICATION_ADMINISTRATOR")) {
            for (String url : urls) {
                Answer a = call(tokens.get(caller), "POST", "apps",
                        Map.of("name", "own-host-" + n++, "externalUrl", url, "internalUrl", "http://127.0.0.1:9/"));
                if (a.status() != 400 || !a.body().path("errors").findValuesAsText("field").contains("externalUrl")) {
                    wrong.add(caller + " publishing " + url + ": " + a.status() + " " + (a.body() == null ? "" : a.body().path("detail")));
                }
            }
        }
        // Re-pointing an existing app at an own host is refused too.
        Answer app = call(tokens.get("APPLICATION_ADMINISTRATOR"), "POST", "apps",
                Map.of("name", "own-host-repoint", "externalUrl", stack.externalUrl("repoint"), "internalUrl", "http://127.0.0.1:9/"));
        assertThat(app.status()).as(String.valueOf(app.body())).isEqualTo(201);
        for (String url : urls) {
            Answer a = call(tokens.get("APPLICATION_ADMINISTRATOR"), "PUT", "apps/" + app.body().path("id").asText(),
                    Map.of("name", "own-host-repoint", "externalUrl", url, "internalUrl", "http://127.0.0.1:9/"));
            if (a.status() != 400) {
                wrong.add("re-pointing an app at " + url + ": " + a.status() + " " + (a.body() == null ? "" : a.body().path("detail")));
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(stack.api("GET", "apps", null).body().findValuesAsText("externalUrl"))
                .noneMatch(u -> u.toLowerCase(Locale.ROOT).contains("//" + ADMIN) || u.toLowerCase(Locale.ROOT).contains("//" + LOGIN));
    }

    @Test
    void appCertificatesAreNeverServedForTheServersHostsNorOnTheTunnel() throws Exception {
        String appAdmin = tokens.get("APPLICATION_ADMINISTRATOR");
        List<String> wrong = new ArrayList<>(ownHostsNotOnServerCa("before any upload"));
        int pub = stack.server().publicPort();

        // An application administrator tries every way to get a certificate served for the server's hosts.
        for (String name : List.of("*.localhost", ADMIN, LOGIN, "ADMIN.LOCALHOST.")) {
            call(appAdmin, "POST", "certificates", Map.of("pem", pem("sni-" + name.hashCode() + ".contoso.test", name)));
        }
        Answer hr = call(appAdmin, "POST", "certificates", Map.of("pem", pem("sni-hr.contoso.test")));
        assertThat(hr.status()).as(String.valueOf(hr.body())).isEqualTo(201);
        wrong.addAll(ownHostsNotOnServerCa("after app certificate uploads"));
        assertThat(wrong).isEmpty();
        assertThat(fromContoso(served(pub, "sni-hr.contoso.test"))).as("an app certificate is served for its host").isTrue();
    }

    @Test
    void theServerCertificateIsServedForTheSignInHostOnlyOnThePublicListener() throws Exception {
        List<String> wrong = new ArrayList<>();
        int pub = stack.server().publicPort();
        assertThat(call(tokens.get("APPLICATION_ADMINISTRATOR"), "POST", "certificates", Map.of("pem", pem("sni-hr.contoso.test"))).status())
                .isEqualTo(201);
        // A global administrator sets the server certificate: a wildcard for the whole domain.
        Answer set = call(tokens.get("GLOBAL_ADMINISTRATOR"), "PUT", "server-certificate", Map.of("pem", pem("*.localhost", LOGIN)));
        assertThat(set.status()).as(String.valueOf(set.body())).isEqualTo(200);
        for (String login : List.of(LOGIN, "LOGIN.LOCALHOST")) {
            assertThat(fromContoso(served(pub, login))).as("the server certificate on the sign-in host " + login).isTrue();
        }
        assertThat(fromContoso(served(pub, "app.localhost"))).as("and on app hosts it covers").isTrue();
        assertThat(fromContoso(served(pub, "sni-hr.contoso.test"))).as("app certificates unchanged").isTrue();
        for (String host : List.of(ADMIN, "Admin.LocalHost")) {
            if (!fromServerCa(served(pub, host))) {
                wrong.add("with a server certificate: " + host + " on public is not the server CA's");
            }
        }
        for (String host : List.of(ADMIN, LOGIN, "app.localhost", "sni-hr.contoso.test")) {
            if (!fromServerCa(served(stack.server().tunnelPort(), host))) {
                wrong.add("with a server certificate: " + host + " on tunnel is not the server CA's");
            }
        }
        // A server certificate that does not cover the sign-in host is refused, naming it.
        Answer adminOnly = call(tokens.get("GLOBAL_ADMINISTRATOR"), "PUT", "server-certificate", Map.of("pem", pem(ADMIN)));
        assertThat(adminOnly.status()).isEqualTo(400);
        assertThat(adminOnly.body().path("detail").asText()).contains(LOGIN);

        assertThat(stack.api("DELETE", "server-certificate", null).status()).isEqualTo(204);
        wrong.addAll(ownHostsNotOnServerCa("after removing the server certificate"));
        assertThat(wrong).isEmpty();
        // Connectors still register and tunnel (the admin host and the tunnel kept the pinned CA).
        stack.startConnector(dir.resolve("connector"), 1);
    }

    /** Runs the admin CLI against the stack with {@code token}; exit code and output. */
    static String[] cli(String token, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", stack.adminUrl().toString(), "--token", token,
                "--ca-file", stack.dataDir().resolve("pki/server-ca.pem").toString()));
        StringWriter out = new StringWriter(), err = new StringWriter();
        var cli = new DrawbridgeCli(Map.of("DRAWBRIDGE_CONFIG_DIR", dir.resolve("cli").toString()),
                new ByteArrayInputStream(new byte[0]));
        int code = DrawbridgeCli.commandLine(cli).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true)).execute(all.toArray(String[]::new));
        return new String[]{Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void theCliSetsShowsAndRemovesTheServerCertificate() throws Exception {
        Path file = dir.resolve("login.pem");
        Files.writeString(file, pem(LOGIN));
        String[] refused = cli(tokens.get("APPLICATION_ADMINISTRATOR"), "server-certificate", "set", "--pem", file.toString());
        assertThat(refused[0]).as(refused[2]).isEqualTo("1");
        assertThat(refused[2]).contains("SERVER_CERTIFICATES_WRITE");
        String[] set = cli(tokens.get("GLOBAL_ADMINISTRATOR"), "server-certificate", "set", "--pem", file.toString());
        assertThat(set[0]).as(set[2]).isEqualTo("0");
        assertThat(set[1]).contains("login.localhost");
        String[] show = cli(tokens.get("SECURITY_READER"), "server-certificate", "show", "-o", "json");
        assertThat(show[0]).as(show[2]).isEqualTo("0");
        assertThat(Json.MAPPER.readTree(show[1]).path("hosts").get(0).asText()).isEqualTo(LOGIN);
        Path app = dir.resolve("wildcard.pem");
        Files.writeString(app, pem("*.localhost"));
        String[] wildcard = cli(tokens.get("APPLICATION_ADMINISTRATOR"), "certificates", "upload", "--pem", app.toString());
        assertThat(wildcard[0]).isEqualTo("1");
        assertThat(wildcard[2]).contains("admin.localhost");
        String[] delete = cli(tokens.get("BOOTSTRAP"), "server-certificate", "delete");
        assertThat(delete[0]).as(delete[2]).isEqualTo("0");
        assertThat(cli(tokens.get("BOOTSTRAP"), "server-certificate", "show")[0]).isEqualTo("1");
    }
}
