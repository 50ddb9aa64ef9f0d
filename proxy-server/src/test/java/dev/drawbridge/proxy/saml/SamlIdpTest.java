package dev.drawbridge.proxy.saml;

import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.AuditLogEntry;
import dev.drawbridge.proxy.edge.TestServer;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.policy.ConditionalAccess;
import dev.drawbridge.proxy.signin.Cookies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.drawbridge.proxy.saml.Requests.enc;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The identity provider's endpoints on one real Jetty server ({@link IdpServer}): metadata; an AuthnRequest answered
 * for the signed-in user with a response bound to it, posted by a page whose policy lets the form go to the ACS origin
 * only; everything a request may not do refused with a readable 400 page (unknown app, wrong service provider or ACS,
 * unsigned or badly signed where signatures are required, stale, replayed, answered twice); sign-in first, passive
 * requests, assignment and conditional access as for the app itself; IdP-initiated sign-in; and at the app's ACS URL,
 * a response Drawbridge issued starts the app session once, only from the sign-in host's pages.
 */
class SamlIdpTest {
    private static final Pattern HIDDEN = Pattern.compile("name=\"(SAMLResponse|RelayState)\" value=\"([^\"]*)\"");
    @TempDir
    static Path dir;
    static IdpServer idp;

    @BeforeAll
    static void start() throws Exception {
        idp = new IdpServer(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        idp.close();
    }

    @AfterEach
    void noPolicies() {
        idp.policies.set(ConditionalAccess.none());
    }

    static String sso(String app) {
        return IdpServer.LOGIN + "/saml/" + app + "/sso";
    }

    /** An HR AuthnRequest as mellon signs it, fresh, with a new ID. */
    static String hrRequest(String id) {
        return Requests.xml(id, sso("hr"), Instant.now()).replace(Requests.SP, IdpServer.HR_SP).replace(Requests.ACS, IdpServer.HR_ACS);
    }

    static String signedQuery(String xml) {
        return Requests.signed(xml, Optional.of("https://hr.example.test/reports"), idp.sp.key());
    }

    static TestServer.Answer get(String target, String... headers) throws Exception {
        return idp.server.get(IdpServer.LOGIN_HOST, target, headers);
    }

    static String field(TestServer.Answer page, String name) {
        Matcher m = HIDDEN.matcher(page.body());
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return m.group(2).replace("&amp;", "&");
            }
        }
        return null;
    }

    static String xml(TestServer.Answer page) {
        return new String(Base64.getDecoder().decode(field(page, "SAMLResponse")), StandardCharsets.UTF_8);
    }

    static String id() {
        return "_" + UUID.randomUUID().toString().replace("-", "");
    }

    @Test
    void metadataIsServedForSamlAppsOnly() throws Exception {
        TestServer.Answer md = get("/saml/hr/metadata");
        assertThat(md.status()).isEqualTo(200);
        assertThat(md.header("Content-Type")).get().asString().startsWith("application/samlmetadata+xml");
        assertThat(md.body()).contains("entityID=\"https://login.example.test/saml/hr\"", "WantAuthnRequestsSigned=\"true\"");
        assertThat(get("/saml/plain/metadata").status()).as("pre-authenticated without SAML").isEqualTo(404);
        assertThat(get("/saml/nope/metadata").status()).isEqualTo(404);
        assertThat(get("/saml/hr/other").status()).isEqualTo(404);
        assertThat(idp.server.send("POST /saml/hr/sso HTTP/1.1", IdpServer.LOGIN_HOST, "Content-Length: 0").status()).isEqualTo(405);
        // The key was made once, and audited then.
        assertThat(get("/saml/hr/metadata").body()).isEqualTo(md.body());
        List<AuditLogEntry> made = idp.audit.query(new AuditLog.Query(Optional.empty(), Optional.of("app.saml.idp-certificate.create"),
                Optional.empty(), Optional.of("hr"), Optional.empty(), Optional.empty(), 0, 10));
        assertThat(made).hasSize(1);
        assertThat(made.getFirst().after()).contains("sha256").doesNotContain("PRIVATE");
    }

    @Test
    void aSignedRequestOfTheSignedInUserIsAnsweredOnceWithAResponseBoundToIt() throws Exception {
        String id = id();
        TestServer.Answer page = get("/saml/hr/sso?" + signedQuery(hrRequest(id)), "X-Test-Session: alice@corp.example");
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("<form method=\"post\" action=\"" + IdpServer.HR_ACS + "\"");
        assertThat(field(page, "RelayState")).isEqualTo("https://hr.example.test/reports");
        String xml = xml(page);
        assertThat(xml).contains("InResponseTo=\"" + id + "\"", "Destination=\"" + IdpServer.HR_ACS + "\"", "Recipient=\"" + IdpServer.HR_ACS + "\"",
                "<saml:Audience>" + IdpServer.HR_SP + "</saml:Audience>", ">alice@corp.example</saml:NameID>",
                "<saml:Issuer>https://login.example.test/saml/hr</saml:Issuer>");
        String csp = page.header("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("form-action https://hr.example.test;", "default-src 'none'", "frame-ancestors 'none'")
                .contains("script-src " + AutoPost.SCRIPT_HASH).doesNotContain("unsafe-inline");
        assertThat(page.header("Referrer-Policy")).contains("strict-origin");
        assertThat(page.header("Cache-Control")).contains("no-store");
        // The same request again (a replay of the redirect, or a reload): refused, no second response.
        TestServer.Answer again = get("/saml/hr/sso?" + signedQuery(hrRequest(id)), "X-Test-Session: alice@corp.example");
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.body()).contains("already received once").doesNotContain("SAMLResponse");
    }

    @Test
    void whatARequestMayNotDoGetsAReadable400Page() throws Exception {
        String s = "X-Test-Session: alice@corp.example";
        record Case(String query, String reason) {
        }
        String ok = hrRequest(id());
        for (Case c : List.of(
                new Case(Requests.query(hrRequest(id()), Optional.empty(), Optional.empty(), null, null), "must sign its requests"),
                new Case(Requests.signed(hrRequest(id()), Optional.empty(), IdpKeys.generate("x", Instant.now()).key()), "signature is not valid"),
                new Case(signedQuery(hrRequest(id()).replace(IdpServer.HR_SP, "https://evil.example/sp")), "another service provider than this app's"),
                new Case(signedQuery(hrRequest(id()).replace(IdpServer.HR_ACS, "https://evil.example/acs")),
                        "another address than this app's assertion consumer"),
                new Case(signedQuery(hrRequest(id()).replace(sso("hr"), sso("wiki"))), "another identity provider than this one"),
                new Case(signedQuery(hrRequest(id()).replace(" Destination=\"" + sso("hr") + "\"", "")), "must name its Destination"),
                new Case(signedQuery(Requests.xml(id(), sso("hr"), Instant.now().minusSeconds(600)).replace(Requests.SP, IdpServer.HR_SP)
                        .replace(Requests.ACS, IdpServer.HR_ACS)), "more than 5 minutes"),
                new Case("SAMLRequest=%%%", "DEFLATE"),
                new Case(signedQuery("<!DOCTYPE x [<!ENTITY e \"e\">]>" + ok), "without a DTD"))) {
            TestServer.Answer a = get("/saml/hr/sso?" + c.query(), s);
            assertThat(a.status()).as(c.reason()).isEqualTo(400);
            assertThat(a.body().replace("&#39;", "'")).as(c.reason()).contains("Single sign-on request refused", c.reason())
                    .as("no text of the request's on the page").doesNotContain("SAMLResponse", "evil.example");
            assertThat(a.generated()).isTrue();
        }
        assertThat(get("/saml/nope/sso?" + signedQuery(ok), s).status()).isEqualTo(404);
    }

    @Test
    void nobodySignedInSignsInFirstAndComesBackToTheSameRequestOnce() throws Exception {
        String id = id();
        TestServer.Answer first = get("/saml/hr/sso?" + signedQuery(hrRequest(id)));
        assertThat(first.status()).isEqualTo(302);
        String location = first.header("Location").orElseThrow();
        assertThat(location).startsWith("/signin?p=");
        String back = URLDecoder.decode(location.substring("/signin?p=".length()), StandardCharsets.UTF_8);
        assertThat(back).matches("/saml/hr/continue\\?r=[A-Za-z0-9_-]{43}");
        TestServer.Answer page = get(back, "X-Test-Session: alice@corp.example");
        assertThat(page.status()).isEqualTo(200);
        assertThat(xml(page)).contains("InResponseTo=\"" + id + "\"");
        assertThat(field(page, "RelayState")).isEqualTo("https://hr.example.test/reports");
        TestServer.Answer twice = get(back, "X-Test-Session: alice@corp.example");
        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.body()).contains("already answered");
        assertThat(get("/saml/wiki/continue?r=" + back.substring(back.indexOf("r=") + 2), "X-Test-Session: alice@corp.example").status())
                .as("another app's handle").isEqualTo(400);
    }

    @Test
    void aPassiveRequestWithNobodySignedInGetsNoPassive() throws Exception {
        String xml = Requests.xml(id(), sso("wiki"), Instant.now()).replace(Requests.SP, IdpServer.WIKI_SP).replace(Requests.ACS, IdpServer.WIKI_ACS)
                .replace("IsPassive=\"false\"", "IsPassive=\"true\"");
        TestServer.Answer page = get("/saml/wiki/sso?" + Requests.query(xml, Optional.empty(), Optional.empty(), null, null));
        assertThat(page.status()).isEqualTo(200);
        assertThat(xml(page)).contains(SamlNames.NO_PASSIVE).doesNotContain("Assertion");
    }

    @Test
    void assignmentAndConditionalAccessApplyAsForTheAppItself() throws Exception {
        TestServer.Answer bob = get("/saml/hr/sso?" + signedQuery(hrRequest(id())), "X-Test-Session: bob@corp.example");
        assertThat(bob.status()).isEqualTo(403);
        assertThat(bob.body()).contains("You don&#39;t have access to hr", "/request?app=hr").doesNotContain("SAMLResponse");
        assertThat(get("/saml/hr/start", "X-Test-Session: bob@corp.example").status()).isEqualTo(403);

        idp.policy(idp.hr, AccessPolicy.Control.BLOCK);
        assertThat(get("/saml/hr/sso?" + signedQuery(hrRequest(id())), "X-Test-Session: alice@corp.example").status()).isEqualTo(403);
        idp.policy(idp.hr, AccessPolicy.Control.REQUIRE_MFA);
        TestServer.Answer stepUp = get("/saml/hr/sso?" + signedQuery(hrRequest(id())), "X-Test-Session: alice@corp.example");
        assertThat(stepUp.status()).isEqualTo(302);
        assertThat(stepUp.header("Location")).get().asString().startsWith("/signin?mfa=1&p=" + enc("/saml/hr/continue?r="));
        String back = URLDecoder.decode(stepUp.header("Location").orElseThrow().substring("/signin?mfa=1&p=".length()), StandardCharsets.UTF_8);
        TestServer.Answer withCode = get(back, "X-Test-Session: alice@corp.example otp");
        assertThat(withCode.status()).isEqualTo(200);
        assertThat(xml(withCode)).contains("https://refeds.org/profile/mfa");
    }

    @Test
    void idpInitiatedSignInPostsAnUnsolicitedResponseWithTheAppsRelayState() throws Exception {
        assertThat(get("/saml/hr/start").header("Location")).contains("/signin?p=" + enc("/saml/hr/start"));
        TestServer.Answer page = get("/saml/hr/start", "X-Test-Session: alice@corp.example");
        assertThat(page.status()).isEqualTo(200);
        assertThat(xml(page)).doesNotContain("InResponseTo");
        assertThat(field(page, "RelayState")).isEqualTo("https://hr.example.test/home");
        assertThat(field(get("/saml/wiki/start", "X-Test-Session: bob@corp.example"), "RelayState")).as("none configured").isNull();
    }

    @Test
    void atTheAcsUrlAResponseDrawbridgeIssuedStartsTheAppSessionOnceFromTheSignInHostOnly() throws Exception {
        TestServer.Answer page = get("/saml/hr/start", "X-Test-Session: alice@corp.example");
        String form = "SAMLResponse=" + enc(field(page, "SAMLResponse")) + "&RelayState=" + enc(field(page, "RelayState"));
        byte[] body = form.getBytes(StandardCharsets.US_ASCII);
        String type = "Content-Type: application/x-www-form-urlencoded";
        // From another site's page: the usual answer for a request without a session.
        TestServer.Answer foreign = idp.server.post(IdpServer.HR_HOST, "/mellon/postResponse", body, type, "Origin: https://evil.example");
        assertThat(foreign.status()).isEqualTo(401);
        assertThat(idp.server.post(IdpServer.HR_HOST, "/mellon/postResponse", body, type).status()).as("no Origin").isEqualTo(401);
        // Not the ACS path: nothing is read.
        assertThat(idp.server.post(IdpServer.HR_HOST, "/mellon/postResponse2", body, type, "Origin: " + IdpServer.LOGIN).status()).isEqualTo(401);
        // Another app's ACS URL: a response for HR is nothing there.
        assertThat(idp.server.post("wiki.example.test", "/saml/acs", body, type, "Origin: " + IdpServer.LOGIN).status()).isEqualTo(401);

        TestServer.Answer admitted = idp.server.post(IdpServer.HR_HOST, "/mellon/postResponse", body, type, "Origin: " + IdpServer.LOGIN);
        assertThat(admitted.status()).isEqualTo(200);
        assertThat(admitted.body()).isEqualTo("app saw alice@corp.example body " + form);
        assertThat(admitted.headers("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith(Cookies.appCookie("hr") + "="));
        // Once: the same response again is no session.
        assertThat(idp.server.post(IdpServer.HR_HOST, "/mellon/postResponse", body, type, "Origin: " + IdpServer.LOGIN).status()).isEqualTo(401);
        // A browser with the session posts a fresh response: it goes through, and is spent, so no copy of it opens a session later.
        String cookie = admitted.headers("Set-Cookie").stream().filter(c -> c.startsWith(Cookies.appCookie("hr") + "=")).findFirst()
                .orElseThrow().split(";")[0];
        String second = "SAMLResponse=" + enc(field(get("/saml/hr/start", "X-Test-Session: alice@corp.example"), "SAMLResponse"));
        byte[] secondBody = second.getBytes(StandardCharsets.US_ASCII);
        TestServer.Answer withSession = idp.server.post(IdpServer.HR_HOST, "/mellon/postResponse", secondBody, type, "Cookie: " + cookie);
        assertThat(withSession.body()).isEqualTo("app saw alice@corp.example body " + second);
        assertThat(idp.server.post(IdpServer.HR_HOST, "/mellon/postResponse", secondBody, type, "Origin: " + IdpServer.LOGIN).status())
                .as("spent by the browser that had a session").isEqualTo(401);
        // A response it did not issue (changed by one character) is none either.
        TestServer.Answer fresh = get("/saml/hr/start", "X-Test-Session: alice@corp.example");
        String changed = field(fresh, "SAMLResponse").replaceFirst("^.", "Q");
        assertThat(idp.server.post(IdpServer.HR_HOST, "/mellon/postResponse", ("SAMLResponse=" + enc(changed)).getBytes(StandardCharsets.US_ASCII),
                type, "Origin: " + IdpServer.LOGIN).status()).isEqualTo(401);
    }
}
