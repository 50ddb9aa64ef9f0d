package dev.drawbridge.systemtests.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.cli.DrawbridgeCli;
import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.pki.CertificateAuthority;
import dev.drawbridge.proxy.pki.Pem;
import dev.drawbridge.proxy.web.Json;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.StringRequestContent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/v1/domains} against a real server: every caller (each role, the bootstrap credential, no token)
 * against every domains operation, expected from docs/admin.md (reading with CERTIFICATES_READ; every change global
 * administrators only); names refused by class (the server's own domain and hosts, one label, wildcards, bad labels) and
 * Unicode stored as punycode; an app outside the server's domain refused until its domain is added; the CSR a valid
 * PKCS#10 request for the domain and its wildcard, signed by its key; an issued chain uploaded alone pairs with that key,
 * while a chain for another key, one naming another domain, or a chain alone without a pending CSR is refused naming
 * the field.
 */
class CustomDomainsTest {
    static final String PASSWORD = "correct horse battery staple";
    static final CertificateAuthority CONTOSO = CertificateAuthority.create("Contoso Public Root", Duration.ofDays(30), Clock.systemUTC());
    static final Set<String> READERS = Set.of("BOOTSTRAP", "GLOBAL_ADMINISTRATOR", "APPLICATION_ADMINISTRATOR",
            "CLOUD_APPLICATION_ADMINISTRATOR", "SECURITY_READER");
    static final Set<String> WRITERS = Set.of("BOOTSTRAP", "GLOBAL_ADMINISTRATOR");

    @TempDir
    static Path dir;
    static DrawbridgeStack stack;
    static final Map<String, String> tokens = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        tokens.put("BOOTSTRAP", stack.adminToken());
        for (AdminRole role : AdminRole.values()) {
            tokens.put(role.name(), token("domains-" + role.name().toLowerCase().replace('_', '-') + "@corp.example", List.of(role)));
        }
    }

    static String token(String upn, List<AdminRole> roles) throws Exception {
        String id = stack.api("POST", "users", Map.of("upn", upn, "displayName", upn, "password", PASSWORD)).body().path("id").asText();
        assertThat(stack.api("PUT", "users/" + id + "/roles", Map.of("roles", roles)).status()).isEqualTo(200);
        Answer t = call(null, "POST", "auth/token", Map.of("username", upn, "password", PASSWORD));
        assertThat(t.status()).as(String.valueOf(t.body())).isEqualTo(200);
        return t.body().path("accessToken").asText();
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

    static Answer admin(String method, String path, Object body) throws Exception {
        return call(stack.adminToken(), method, path, body);
    }

    static List<String> fields(Answer a) {
        List<String> out = new ArrayList<>();
        a.body().path("errors").forEach(e -> out.add(e.path("field").asText()));
        return out;
    }

    @Test
    void everyCallerAgainstEveryDomainsOperation() throws Exception {
        List<String> wrong = new ArrayList<>();
        int n = 0;
        for (Map.Entry<String, String> who : tokens.entrySet()) {
            String caller = who.getKey();
            String token = who.getValue();
            boolean reads = READERS.contains(caller);
            boolean writes = WRITERS.contains(caller);
            expect(wrong, caller + " GET domains", call(token, "GET", "domains", null), reads ? 200 : 403);
            String name = "roles" + (n++) + ".example.org";
            Answer add = call(token, "POST", "domains", Map.of("name", name));
            expect(wrong, caller + " POST domains", add, writes ? 201 : 403);
            String id = writes ? add.body().path("id").asText() : admin("POST", "domains", Map.of("name", name)).body().path("id").asText();
            expect(wrong, caller + " GET domains/{id}", call(token, "GET", "domains/" + id, null), reads ? 200 : 403);
            expect(wrong, caller + " POST csr", call(token, "POST", "domains/" + id + "/csr", null), writes ? 200 : 403);
            if (!writes) {
                admin("POST", "domains/" + id + "/csr", null);
            }
            expect(wrong, caller + " PUT certificate", call(token, "PUT", "domains/" + id + "/certificate",
                    Map.of("pem", issued(admin("GET", "domains/" + id, null).body().path("csrPem").asText(), name))), writes ? 200 : 403);
            expect(wrong, caller + " DELETE", call(token, "DELETE", "domains/" + id, null), writes ? 204 : 403);
            boolean gone = admin("GET", "domains/" + id, null).status() == 404;
            if (gone != writes) {
                wrong.add(caller + " DELETE took effect: " + gone);
            }
            admin("DELETE", "domains/" + id, null);
        }
        for (String op : List.of("GET domains", "POST domains", "GET domains/x", "DELETE domains/x", "POST domains/x/csr",
                "PUT domains/x/certificate")) {
            String[] p = op.split(" ");
            expect(wrong, "no token " + op, call(null, p[0], p[1], p[0].equals("GET") || p[0].equals("DELETE") ? null : Map.of()), 401);
        }
        assertThat(wrong).isEmpty();
    }

    static void expect(List<String> wrong, String what, Answer a, int status) {
        if (a.status() != status) {
            wrong.add(what + ": " + a.status() + " (expected " + status + ") " + a.body());
        }
    }

    @Test
    void namesAreReadInOneSpellingAndTheServersOwnAreRefused() throws Exception {
        for (String bad : List.of("localhost", "LOCALHOST.", "login.localhost", "admin.localhost", "com", "*.fabrikam.test",
                "fabrikam..test", "a_b.fabrikam.test", "-a.fabrikam.test", "fabrikam.test:443", "u@fabrikam.test", "a%2e.test", "")) {
            Answer a = admin("POST", "domains", Map.of("name", bad));
            assertThat(a.status()).as(bad + ": " + a.body()).isEqualTo(400);
            assertThat(fields(a)).as(bad).containsExactly("name");
        }
        Answer idn = admin("POST", "domains", Map.of("name", "Bücher.Test."));
        assertThat(idn.status()).as(String.valueOf(idn.body())).isEqualTo(201);
        assertThat(idn.body().path("name").asText()).isEqualTo("xn--bcher-kva.test");
        assertThat(idn.body().path("dnsRecords").get(0).path("name").asText()).isEqualTo("*.xn--bcher-kva.test");
        assertThat(idn.body().path("dnsRecords").get(0).path("type").asText()).isEqualTo("CNAME");
        assertThat(idn.body().path("dnsRecords").get(0).path("value").asText()).isEqualTo("login.localhost");
        Answer again = admin("POST", "domains", Map.of("name", "xn--bcher-kva.test"));
        assertThat(again.status()).isEqualTo(409);
    }

    @Test
    void anAppOutsideTheServersDomainNeedsItsDomainAddedFirst() throws Exception {
        int port = stack.server().publicPort();
        for (String host : List.of("hr.fabrikam.test", "*.fabrikam.test", "fabrikam.test", "a.b.fabrikam.test")) {
            AppSpec spec = new AppSpec("fab", "https://" + host + ":" + port + "/", host.startsWith("*") ? "http://*.corp/" : "http://intranet/",
                    null, null, null, PreAuthentication.PASSTHROUGH, null, null);
            Answer refused = admin("POST", "apps", spec);
            assertThat(refused.status()).as(host + ": " + refused.body()).isEqualTo(400);
            assertThat(fields(refused)).as(host).contains("externalUrl");
        }
        assertThat(admin("POST", "domains", Map.of("name", "fabrikam.test")).status()).isEqualTo(201);
        for (String host : List.of("hr.fabrikam.test", "*.fabrikam.test", "fabrikam.test", "a.b.fabrikam.test")) {
            AppSpec spec = new AppSpec("fab " + host, "https://" + host + ":" + port + "/",
                    host.startsWith("*") ? "http://*.corp/" : "http://intranet/", null, null, null, PreAuthentication.PASSTHROUGH, null, null);
            Answer created = admin("POST", "apps", spec);
            assertThat(created.status()).as(host + ": " + created.body()).isEqualTo(201);
        }
        JsonNode domain = admin("GET", "domains", null).body();
        JsonNode fab = null;
        for (JsonNode d : domain) {
            if (d.path("name").asText().equals("fabrikam.test")) {
                fab = d;
            }
        }
        assertThat(fab).isNotNull();
        assertThat(fab.path("status").asText()).isEqualTo("CERTIFICATE_MISSING");
        assertThat(fab.path("hostsWithoutCertificate").toString()).contains("hr.fabrikam.test", "*.fabrikam.test", "a.b.fabrikam.test");
        List<String> records = new ArrayList<>();
        fab.path("dnsRecords").forEach(r -> records.add(r.path("name").asText()));
        assertThat(records).contains("*.fabrikam.test", "fabrikam.test", "a.b.fabrikam.test").doesNotContain("hr.fabrikam.test");
    }

    /** A chain Contoso issued for the CSR's key, naming {@code names}. */
    static String issued(String csrPem, String... names) throws Exception {
        PublicKey key = new JcaPKCS10CertificationRequest(Pem.parseCsr(csrPem)).getPublicKey();
        return Pem.encode(CONTOSO.issueServerCertificate(key, List.of(names), List.of(), Duration.ofDays(20))) + Pem.encode(CONTOSO.certificate());
    }

    @Test
    void theCsrIsForTheDomainAndOnlyACertificateForItsKeyAndNamePairsWithIt() throws Exception {
        String id = admin("POST", "domains", Map.of("name", "contoso.test")).body().path("id").asText();
        Answer none = admin("PUT", "domains/" + id + "/certificate", Map.of("pem", Pem.encode(CONTOSO.certificate())));
        assertThat(none.status()).as(String.valueOf(none.body())).isEqualTo(400);
        assertThat(fields(none)).containsExactly("pem");

        Answer withCsr = admin("POST", "domains/" + id + "/csr", null);
        assertThat(withCsr.status()).isEqualTo(200);
        assertThat(withCsr.body().path("status").asText()).isEqualTo("CSR_PENDING");
        String csrPem = withCsr.body().path("csrPem").asText();
        PKCS10CertificationRequest csr = Pem.parseCsr(csrPem);
        JcaPKCS10CertificationRequest jca = new JcaPKCS10CertificationRequest(csr);
        assertThat(csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(jca.getPublicKey()))).isTrue();
        assertThat(csr.getSubject().toString()).isEqualTo("CN=contoso.test");
        Extensions ext = Extensions.getInstance(csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)[0].getAttrValues()
                .getObjectAt(0));
        assertThat(Arrays.stream(GeneralNames.fromExtensions(ext, Extension.subjectAlternativeName).getNames()).map(GeneralName::getName)
                .map(Object::toString)).containsExactly("contoso.test", "*.contoso.test");
        assertThat(withCsr.body().toString()).doesNotContain("PRIVATE KEY");

        String otherCsr = admin("POST", "domains", Map.of("name", "other.test")).body().path("id").asText();
        String foreignCsrPem = admin("POST", "domains/" + otherCsr + "/csr", null).body().path("csrPem").asText();
        Answer foreignKey = admin("PUT", "domains/" + id + "/certificate", Map.of("pem", issued(foreignCsrPem, "contoso.test", "*.contoso.test")));
        assertThat(foreignKey.status()).as(String.valueOf(foreignKey.body())).isEqualTo(400);
        assertThat(fields(foreignKey)).containsExactly("pem");
        Answer otherName = admin("PUT", "domains/" + id + "/certificate", Map.of("pem", issued(csrPem, "fabrikam.example")));
        assertThat(otherName.status()).as(String.valueOf(otherName.body())).isEqualTo(400);
        assertThat(fields(otherName)).containsExactly("pem");
        assertThat(admin("GET", "domains/" + id, null).body().path("status").asText()).isEqualTo("CSR_PENDING");

        Answer paired = admin("PUT", "domains/" + id + "/certificate", Map.of("pem", issued(csrPem, "contoso.test", "*.contoso.test")));
        assertThat(paired.status()).as(String.valueOf(paired.body())).isEqualTo(200);
        assertThat(paired.body().path("status").asText()).isEqualTo("READY");
        assertThat(paired.body().path("csrPem").asText()).isEmpty();
        String certificateId = paired.body().path("certificateId").asText();
        Answer stored = admin("GET", "certificates/" + certificateId, null);
        assertThat(stored.status()).isEqualTo(200);
        assertThat(stored.body().path("hosts").toString()).contains("contoso.test", "*.contoso.test");
        // The key went with the certificate: a second chain alone has nothing to pair with.
        Answer again = admin("PUT", "domains/" + id + "/certificate", Map.of("pem", issued(csrPem, "contoso.test")));
        assertThat(again.status()).isEqualTo(400);
    }

    /** Runs the admin CLI against the stack with {@code token}; exit code, standard output, standard error. */
    static String[] cli(String token, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", stack.adminUrl().toString(), "--token", token,
                "--ca-file", stack.dataDir().resolve("pki/server-ca.pem").toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = new DrawbridgeCli(Map.of("DRAWBRIDGE_CONFIG_DIR", dir.resolve("cli").toString()), new ByteArrayInputStream(new byte[0]));
        int code = DrawbridgeCli.commandLine(cli).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(all.toArray(String[]::new));
        return new String[]{Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void theCliAddsListsGetsACsrForAndCertifiesADomain() throws Exception {
        String[] refused = cli(tokens.get("APPLICATION_ADMINISTRATOR"), "domains", "add", "cli.example.net");
        assertThat(refused[0]).as(refused[2]).isEqualTo("1");
        assertThat(refused[2]).contains("DOMAINS_WRITE");
        String[] add = cli(tokens.get("GLOBAL_ADMINISTRATOR"), "domains", "add", "cli.example.net");
        assertThat(add[0]).as(add[2]).isEqualTo("0");
        assertThat(add[1]).contains("*.cli.example.net CNAME login.localhost");
        String[] list = cli(tokens.get("SECURITY_READER"), "domains", "list");
        assertThat(list[0]).as(list[2]).isEqualTo("0");
        assertThat(list[1]).contains("NAME", "STATUS", "DNS RECORD TO CREATE", "HOSTS WITHOUT CERTIFICATE", "cli.example.net",
                "CERTIFICATE_MISSING");
        Path csrFile = dir.resolve("cli.csr");
        String[] csr = cli(tokens.get("GLOBAL_ADMINISTRATOR"), "domains", "csr", "cli.example.net", "--out", csrFile.toString());
        assertThat(csr[0]).as(csr[2]).isEqualTo("0");
        String csrPem = Files.readString(csrFile);
        assertThat(csrPem).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
        String[] printed = cli(tokens.get("GLOBAL_ADMINISTRATOR"), "domains", "show", "cli.example.net", "-o", "json");
        assertThat(Json.MAPPER.readTree(printed[1]).path("csrPem").asText()).isEqualTo(csrPem);
        Path chain = dir.resolve("cli-chain.pem");
        Files.writeString(chain, issued(csrPem, "*.cli.example.net"));
        String[] certified = cli(tokens.get("GLOBAL_ADMINISTRATOR"), "domains", "certificate", "cli.example.net", "--pem", chain.toString());
        assertThat(certified[0]).as(certified[2]).isEqualTo("0");
        assertThat(certified[1]).contains("READY");
        String[] delete = cli(tokens.get("GLOBAL_ADMINISTRATOR"), "domains", "delete", "cli.example.net");
        assertThat(delete[0]).as(delete[2]).isEqualTo("0");
        assertThat(admin("GET", "domains", null).body().toString()).doesNotContain("cli.example.net");
    }
}
