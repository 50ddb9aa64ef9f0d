package dev.drawbridge.proxy.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import dev.drawbridge.model.update.UpdateInstruction;
import dev.drawbridge.model.update.UpdateReport;
import dev.drawbridge.model.update.UpdateState;
import dev.drawbridge.proxy.pki.CertificateAuthority;
import dev.drawbridge.proxy.pki.ServerKeys;
import dev.drawbridge.proxy.web.Json;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The update endpoints on a real server's tunnel port: a registered connector reports and gets an instruction whose
 * manifest verifies with the key it pinned at registration, fetches that key and the bundle's exact bytes; no
 * certificate, another CA's, an unregistered connector's, a revoked one's or one expired by the server's clock is
 * refused at each endpoint; every other spelling of each path (percent-encoding, case, {@code ;} parameters, trailing or
 * double slashes, encoded slashes) and every other method reaches neither the endpoint nor another one.
 */
class UpdateEndpointsTest {
    static final List<String> PATHS = List.of(UpdateEndpoints.REPORT, UpdateEndpoints.BUNDLE + "?version=9.9.9", UpdateEndpoints.KEY);
    @TempDir
    static Path dir;
    static UpdateServer s;
    static byte[] bundle;

    @BeforeAll
    static void start() throws Exception {
        s = new UpdateServer(dir.resolve("server"));
        bundle = Bundles.valid(Files.createDirectories(dir.resolve("b")), "9.9.9");
        assertThat(s.admin(s.bootstrap, "POST", "connector-updates", "application/zip", bundle).status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    private static byte[] idle(String version) throws Exception {
        return Json.MAPPER.writeValueAsBytes(new UpdateReport(version, UpdateState.IDLE, "", ""));
    }

    /** Each endpoint as a connector calls it. */
    private static Wire.Reply call(UpdateServer.Identity who, String target) throws Exception {
        return target.startsWith(UpdateEndpoints.REPORT + "?") || target.equals(UpdateEndpoints.REPORT)
                ? s.tunnel(who, "POST", target, "application/json", idle("1.0.0"))
                : s.tunnel(who, "GET", target, null, null);
    }

    @Test
    void aConnectorReportsAndGetsAManifestSignedWithTheKeyItPinned() throws Exception {
        UpdateServer.Identity c = s.register("Reporting", "host-r", "1.0.0");
        assertThat(c.registration().updateKeyJwk()).isNotBlank();
        Wire.Reply r = s.report(c, new UpdateReport("1.0.0", UpdateState.IDLE, "", ""));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        UpdateInstruction i = Json.MAPPER.readValue(r.body(), UpdateInstruction.class);
        assertThat(i.action()).isEqualTo(UpdateInstruction.Action.UPDATE);
        assertThat(i.version()).isEqualTo("9.9.9");
        JWSObject jws = JWSObject.parse(i.manifest());
        assertThat(jws.verify(new ECDSAVerifier(ECKey.parse(c.registration().updateKeyJwk())))).isTrue();
        assertThat(Json.MAPPER.readTree(jws.getPayload().toString()).path("size").asLong()).isEqualTo(bundle.length);
        // The key endpoint answers the same key, for connectors registered before registrations carried it.
        Wire.Reply key = s.tunnel(c, "GET", UpdateEndpoints.KEY, null, null);
        assertThat(key.status()).isEqualTo(200);
        assertThat(key.json().path("jwk").asText()).isEqualTo(c.registration().updateKeyJwk());
        assertThat(ECKey.parse(key.json().path("jwk").asText()).isPrivate()).isFalse();
    }

    @Test
    void theBundleIsServedByteForByteAndAnUnknownVersionIs404() throws Exception {
        UpdateServer.Identity c = s.register("Downloading", "host-d", "1.0.0");
        // A connector downloads the version of its turn (BundleDownloadTest): it reports first.
        assertThat(s.report(c, new UpdateReport("1.0.0", UpdateState.IDLE, "", "")).json().path("version").asText()).isEqualTo("9.9.9");
        Wire.Reply r = s.tunnel(c, "GET", UpdateEndpoints.BUNDLE + "?version=9.9.9", null, null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).containsEntry("content-type", "application/zip").containsEntry("content-length", String.valueOf(bundle.length));
        assertThat(r.body()).isEqualTo(bundle);
        for (String q : List.of("?version=9.9.8", "?version=..%2F9.9.9", "?version=", "", "?v=9.9.9", "?version=9.9.9%00")) {
            Wire.Reply missing = s.tunnel(c, "GET", UpdateEndpoints.BUNDLE + q, null, null);
            assertThat(missing.status()).as(q).isEqualTo(404);
            assertThat(missing.json().path("title").asText()).isEqualTo("No such update");
        }
        // A report that is no report is a 400 with a readable problem.
        Wire.Reply bad = s.tunnel(c, "POST", UpdateEndpoints.REPORT, "application/json",
                "{\"version\":\"1.0\",\"state\":\"IDLE\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("title").asText()).isEqualTo("Invalid update report");
    }

    @Test
    void noCertificateOrAnotherCasIsRefused() throws Exception {
        // The tunnel listener needs a client certificate: the handshake ends without one (TunnelHandler would answer 401).
        for (String p : PATHS) {
            int status;
            try {
                Wire.Reply r = call(null, p);
                assertThat(r.text()).doesNotContain("jwk").doesNotContain("action");
                status = r.status();
            } catch (IOException refusedInTheHandshake) {
                status = 401;
            }
            assertThat(status).as(p).isEqualTo(401);
        }
        CertificateAuthority other = CertificateAuthority.create("Elsewhere", Duration.ofDays(30), s.clock);
        UpdateServer.Identity stranger = signedBy(other, UUID.randomUUID().toString());
        for (String p : PATHS) {
            assertThatThrownBy(() -> call(stranger, p)).as(p).isInstanceOf(IOException.class);
        }
    }

    @Test
    void anUnregisteredConnectorsCertificateIs403() throws Exception {
        ServerKeys keys = ServerKeys.loadOrCreate(dir.resolve("server"), s.clock);
        UpdateServer.Identity forged = signedBy(keys.connectorCa(), UUID.randomUUID().toString());
        for (String p : PATHS) {
            Wire.Reply r = call(forged, p);
            assertThat(r.status()).as(p).isEqualTo(403);
            assertThat(r.text()).doesNotContain("jwk").doesNotContain("\"action\"");
        }
    }

    @Test
    void aRevokedConnectorIs403AtEachEndpoint() throws Exception {
        UpdateServer.Identity c = s.register("Revoked", "host-x", "1.0.0");
        assertThat(call(c, UpdateEndpoints.KEY).status()).isEqualTo(200);
        assertThat(s.json(s.bootstrap, "POST", "connectors/" + c.id() + "/revoke", null).status()).isEqualTo(200);
        for (String p : PATHS) {
            Wire.Reply r = call(c, p);
            assertThat(r.status()).as(p).isEqualTo(403);
            assertThat(r.json().path("title").asText()).isEqualTo("Connector not accepted");
        }
    }

    @Test
    void aCertificateExpiredByTheServersClockIs403() throws Exception {
        try (UpdateServer own = new UpdateServer(dir.resolve("expiring"))) {
            UpdateServer.Identity c = own.register("Expiring", "host-e", "1.0.0");
            assertThat(own.tunnel(c, "GET", UpdateEndpoints.KEY, null, null).status()).isEqualTo(200);
            own.clock.advance(Duration.ofDays(366));
            assertThat(own.tunnel(c, "GET", UpdateEndpoints.KEY, null, null).status()).isEqualTo(403);
            assertThat(own.tunnel(c, "POST", UpdateEndpoints.REPORT, "application/json", idle("1.0.0")).status()).isEqualTo(403);
            assertThat(own.tunnel(c, "GET", UpdateEndpoints.BUNDLE + "?version=9.9.9", null, null).status()).isEqualTo(403);
        }
    }

    /** Every spelling of {@code path} but the exact one. */
    static Set<String> spellings(String path) {
        Set<String> out = new LinkedHashSet<>();
        String[] seg = path.substring(1).split("/");
        for (int k = 0; k < seg.length; k++) {
            String s0 = seg[k];
            for (int i = 0; i < s0.length(); i++) {
                for (boolean upper : new boolean[]{true, false}) {
                    String hex = String.format(upper ? "%%%02X" : "%%%02x", (int) s0.charAt(i));
                    out.add(join(seg, k, s0.substring(0, i) + hex + s0.substring(i + 1)));
                }
            }
            out.add(join(seg, k, s0.toUpperCase(Locale.ROOT)));
            out.add(join(seg, k, Character.toUpperCase(s0.charAt(0)) + s0.substring(1)));
            for (String param : List.of(";", ";x", ";a=b", ";jsessionid=1")) {
                out.add(join(seg, k, s0 + param));
            }
        }
        out.add(path + "/");
        out.add(path + "//");
        out.add("/" + path);
        out.add(path.replace("/v1/", "//v1/"));
        out.add(path.replace("/v1/", "/v1/./"));
        out.add(path.replace("/v1/", "/v1/x/../"));
        out.add(path.replace("/v1/", "/v1%2F"));
        out.add(path.replace("/v1/", "/v1%2f"));
        out.add(path.replace("/v1/", "/v1%5C"));
        out.add(path + "%20");
        out.add(path + "%00");
        out.add(path + ".json");
        out.remove(path);
        return out;
    }

    private static String join(String[] seg, int replaced, String with) {
        List<String> parts = new ArrayList<>(List.of(seg));
        parts.set(replaced, with);
        return "/" + String.join("/", parts);
    }

    @Test
    void everyOtherSpellingOfEachPathReachesNoEndpoint() throws Exception {
        UpdateServer.Identity c = s.register("Spellings", "host-s", "1.0.0");
        List<String> wrong = new ArrayList<>();
        int tried = 0;
        for (String path : List.of(UpdateEndpoints.REPORT, UpdateEndpoints.BUNDLE, UpdateEndpoints.KEY)) {
            for (String spelling : spellings(path)) {
                String target = path.equals(UpdateEndpoints.BUNDLE) ? spelling + "?version=9.9.9" : spelling;
                for (String method : List.of("GET", "POST")) {
                    Wire.Reply r = method.equals("POST") ? s.tunnel(c, "POST", target, "application/json", idle("1.0.0"))
                            : s.tunnel(c, "GET", target, null, null);
                    tried++;
                    boolean answered = r.status() < 300 || r.text().contains("jwk") || r.text().contains("\"action\"")
                            || r.headers().getOrDefault("content-type", "").contains("zip");
                    if (answered || (r.status() != 404 && r.status() != 400)) {
                        wrong.add(method + " " + target + " -> " + r.status() + " " + r.headers().get("content-type"));
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(tried).isGreaterThan(150);
        // None of those reports reached the coordinator: the connector never reported.
        JsonNode rollout = s.json(s.bootstrap, "GET", "connector-groups/Spellings/rollout", null).json();
        assertThat(rollout.path("connectors").get(0).path("reportedAt").isNull()).as(rollout.toString()).isTrue();
        assertThat(rollout.path("updatingConnectorId").asText()).isEmpty();
    }

    @Test
    void eachEndpointAnswersOnlyItsMethod() throws Exception {
        UpdateServer.Identity c = s.register("Methods", "host-m", "1.0.0");
        for (String method : List.of("GET", "PUT", "DELETE", "PATCH")) {
            Wire.Reply r = s.tunnel(c, method, UpdateEndpoints.REPORT, "application/json", idle("1.0.0"));
            assertThat(r.status()).as(method).isEqualTo(405);
            assertThat(r.headers()).containsEntry("allow", "POST");
        }
        for (String target : List.of(UpdateEndpoints.KEY, UpdateEndpoints.BUNDLE + "?version=9.9.9")) {
            for (String method : List.of("POST", "PUT", "DELETE")) {
                Wire.Reply r = s.tunnel(c, method, target, "application/json", new byte[0]);
                assertThat(r.status()).as(method + " " + target).isEqualTo(405);
                assertThat(r.text()).doesNotContain("jwk");
            }
        }
        JsonNode rollout = s.json(s.bootstrap, "GET", "connector-groups/Methods/rollout", null).json();
        assertThat(rollout.path("connectors").get(0).path("reportedAt").isNull()).isTrue();
    }

    /** A certificate for {@code connectorId} signed by {@code ca}, as a registration would make it. */
    private static UpdateServer.Identity signedBy(CertificateAuthority ca, String connectorId) throws Exception {
        KeyPair key = CertificateAuthority.newKeyPair();
        var csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=x"), key.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
        X509Certificate cert = ca.signClientCsr(csr, connectorId, Duration.ofDays(1));
        return new UpdateServer.Identity(connectorId, key, cert, null);
    }
}
