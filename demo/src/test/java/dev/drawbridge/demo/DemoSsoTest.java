package dev.drawbridge.demo;

import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.adminclient.Users;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.GroupView;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.testsupport.process.DebianPackages;
import dev.drawbridge.testsupport.signin.SignInForms;
import dev.drawbridge.testsupport.stack.Https;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.Fields;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's single sign-on apps through the whole stack, signed in as the demo user: the sample app sees
 * {@code X-Drawbridge-User}, the header-SSO app also {@code X-Remote-User}, {@code -Name} and {@code -Groups}; the wiki
 * (password vaulting for its login form) asks once in My Apps for its own password, then shows its page signed in as
 * {@code demo}, on later runs too, without asking again; the reports app (HTTP Basic with the shared account the demo
 * sets) shows {@code svc-reports} on every run; the SAML app (Apache with mod_auth_mellon, only with its packages)
 * {@code REMOTE_USER} and the mapped attributes after an SP-initiated sign-in; and the Kerberos IWA app (Apache with
 * mod_auth_gssapi, only with the Kerberos packages) {@code REMOTE_USER=demo@EXAMPLE.TEST}. The start-up text names each;
 * a second run on the same data directory reuses every app rather than creating it twice; without the Kerberos or
 * mellon packages one line each says which to install and everything else starts.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DemoSsoTest {
    private static final List<DebianPackages.Need> NOT_INSTALLED = List.of(new DebianPackages.Need("/bin/sh", "dash"),
            new DebianPackages.Need("/nonexistent/krb5kdc", "krb5-kdc"), new DebianPackages.Need("/nonexistent/mod_auth_gssapi.so",
                    "libapache2-mod-auth-gssapi"));
    private static final List<DebianPackages.Need> SAML_NOT_INSTALLED = List.of(new DebianPackages.Need("/bin/sh", "dash"),
            new DebianPackages.Need("/nonexistent/mod_auth_mellon.so", "libapache2-mod-auth-mellon"));

    @TempDir
    Path dir;

    private final ByteArrayOutputStream notes = new ByteArrayOutputStream();

    private Demo start(List<DebianPackages.Need> kerberosNeeds, List<DebianPackages.Need> samlNeeds) throws Exception {
        return Demo.start(new Demo.Settings(dir, 0, 0, false, kerberosNeeds, samlNeeds), new PrintStream(notes, true));
    }

    @Test
    void withoutTheKerberosAndMellonPackagesOneLineEachSaysWhichToInstallAndTheOtherAppsShowTheUserOnEachRun() throws Exception {
        for (int run = 1; run <= 2; run++) {
            try (Demo demo = start(NOT_INSTALLED, SAML_NOT_INSTALLED)) {
                HttpClient browser = signedIn(demo);
                String sample = SignInForms.open(browser, demo.url).getContentAsString();
                assertThat(sample).as("run " + run).contains(row("X-Drawbridge-User", DemoUser.UPN)).doesNotContainIgnoringCase("X-Remote-");
                assertThat(SignInForms.open(browser, demo.headerSsoUrl.orElseThrow()).getContentAsString()).as("run " + run)
                        .contains(row("X-Drawbridge-User", DemoUser.UPN), row("X-Remote-User", DemoUser.UPN),
                                row("X-Remote-Name", DemoUser.DISPLAY_NAME), row("X-Remote-Groups", DemoUser.GROUP));
                assertPasswordVaulting(demo, browser, run);
                assertThat(demo.intranetUrl).isEmpty();
                assertThat(demo.saml).isEmpty();
                assertThat(DemoMain.banner(demo, dir.resolve("ca.pem"))).contains("Header SSO app:    " + demo.headerSsoUrl.get())
                        .contains("Kerberos IWA app:  not started (see above)", "SAML app:          not started (see above)");
                assertEachOnce(demo, "Sample app", DemoSsoApps.HEADERS_NAME, DemoPasswordApps.WIKI_NAME, DemoPasswordApps.REPORTS_NAME);
                browser.stop();
            }
            assertThat(notes.toString()).as("the wiki kept its port").doesNotContain("is taken");
            List<String> kerberosLines = notes.toString().lines().filter(l -> l.contains("Kerberos")).toList();
            assertThat(kerberosLines).as(notes.toString()).hasSize(run).allSatisfy(line -> assertThat(line)
                    .contains("sudo apt-get install -y --no-install-recommends krb5-kdc libapache2-mod-auth-gssapi").doesNotContain("dash"));
            List<String> samlLines = notes.toString().lines().filter(l -> l.contains("SAML")).toList();
            assertThat(samlLines).as(notes.toString()).hasSize(run).allSatisfy(line -> assertThat(line)
                    .contains("sudo apt-get install -y --no-install-recommends libapache2-mod-auth-mellon").doesNotContain("dash"));
        }
    }

    @Test
    void theSamlAppSeesTheDemoUserAndHisAttributesOnEachRunReusingMellonsKeyOnTheSamePorts() throws Exception {
        DebianPackages.require("the demo's SAML app", DemoSaml.NEEDS);
        SsoSettings first;
        int port;
        int tunnelPort;
        try (Demo demo = start(NOT_INSTALLED, DemoSaml.NEEDS)) {
            first = assertSamlSignIn(demo, 1);
            port = demo.stack.server().publicPort();
            tunnelPort = demo.stack.server().tunnelPort();
        }
        Path key = dir.resolve("saml-sp/sp.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key.getParent()))).isEqualTo("rwx------");
        byte[] kept = Files.readAllBytes(key);
        // The same ports: mellon's key and the app's settings stay as they were.
        try (Demo demo = Demo.start(new Demo.Settings(dir, port, tunnelPort, false, NOT_INSTALLED, DemoSaml.NEEDS), new PrintStream(notes, true))) {
            assertThat(assertSamlSignIn(demo, 2)).isEqualTo(first);
        }
        assertThat(Files.readAllBytes(key)).isEqualTo(kept);
        // Other ports: a new key for the new external URL, and settings naming it (the old ones are refused with it).
        try (Demo demo = start(NOT_INSTALLED, DemoSaml.NEEDS)) {
            assertThat(assertSamlSignIn(demo, 3).saml().spCertificate()).isNotEqualTo(first.saml().spCertificate());
        }
        assertThat(Files.readAllBytes(key)).isNotEqualTo(kept);
        assertThat(notes.toString()).doesNotContain("SAML");
    }

    /**
     * Signs in to the SAML app SP-initiated (mellon sends the browser to Drawbridge's identity provider, whose page
     * posts the response back) and checks what mellon saw; returns the app's settings.
     */
    private SsoSettings assertSamlSignIn(Demo demo, int run) throws Exception {
        DemoSaml saml = demo.saml.orElseThrow(() -> new AssertionError("no SAML app: " + notes));
        HttpClient browser = signedIn(demo);
        try {
            ContentResponse autoPost = SignInForms.open(browser, saml.whoamiUrl);
            assertThat(autoPost.getRequest().getURI().toString()).as(autoPost.getContentAsString())
                    .startsWith(demo.stack.externalUrl("login") + "saml/");
            ContentResponse posted = SignInForms.submitForm(browser, autoPost, new Fields());
            assertThat(posted.getStatus()).as(() -> saml.mellon.errorLog()).isEqualTo(303);
            ContentResponse whoami = SignInForms.open(browser, posted.getHeaders().get("Location"));
            assertThat(whoami.getRequest().getURI().toString()).isEqualTo(saml.whoamiUrl);
            assertThat(whoami.getContentAsString()).as("run " + run).contains("REMOTE_USER=" + DemoUser.UPN,
                    "MELLON_displayName=" + DemoUser.DISPLAY_NAME, "MELLON_groups=" + DemoUser.GROUP);
            assertThat(DemoMain.banner(demo, dir.resolve("ca.pem"))).contains("SAML app:          " + saml.whoamiUrl);
            assertEachOnce(demo, "Sample app", DemoSsoApps.HEADERS_NAME, DemoPasswordApps.WIKI_NAME, DemoPasswordApps.REPORTS_NAME,
                    DemoSaml.NAME);
            return demo.stack.adminApi().apps().sso(DemoSsoApps.find(demo.stack, DemoSaml.NAME).orElseThrow().id());
        } finally {
            browser.stop();
        }
    }

    @Test
    void theKerberosAppSeesTheDemoUserThroughConstrainedDelegationOnEachRun() throws Exception {
        DebianPackages.require("the demo's Kerberos IWA app", DemoKerberos.NEEDS);
        for (int run = 1; run <= 2; run++) {
            try (Demo demo = start(DemoKerberos.NEEDS, SAML_NOT_INSTALLED)) {
                String intranet = demo.intranetUrl.orElseThrow(() -> new AssertionError("no IWA app: " + notes));
                HttpClient browser = signedIn(demo);
                ContentResponse whoami = SignInForms.open(browser, intranet + "whoami");
                assertThat(whoami.getStatus()).as(whoami.getContentAsString() + demo.kerberos.orElseThrow().apache.errorLog()).isEqualTo(200);
                assertThat(whoami.getContentAsString()).contains("REMOTE_USER=demo@EXAMPLE.TEST", "AUTH_TYPE=Negotiate");
                assertThat(SignInForms.open(browser, intranet).getContentAsString()).as("the app's home page").contains("<a href=\"whoami\">");
                assertThat(DemoMain.banner(demo, dir.resolve("ca.pem")))
                        .contains("Kerberos IWA app:  " + intranet + "whoami  (/whoami shows REMOTE_USER=demo@EXAMPLE.TEST");
                assertEachOnce(demo, "Sample app", DemoSsoApps.HEADERS_NAME, DemoPasswordApps.WIKI_NAME, DemoPasswordApps.REPORTS_NAME,
                        DemoSsoApps.INTRANET_NAME);
                browser.stop();
            }
        }
        assertThat(notes.toString()).doesNotContain("Kerberos");
    }

    /**
     * The wiki: on the first run My Apps asks for its password, which the user stores, landing on the page asked for
     * signed in to the wiki as {@code demo} (the connector filled in its form); on later runs the stored password is
     * used at once. The reports app: signed in as the shared account on every run (the demo sets it each time).
     */
    private void assertPasswordVaulting(Demo demo, HttpClient browser, int run) throws Exception {
        DemoPasswordApps vault = demo.passwords.orElseThrow();
        String page = vault.wikiUrl + "pages/welcome?run=" + run;
        ContentResponse wiki = SignInForms.open(browser, page);
        if (run == 1) {
            assertThat(wiki.getRequest().getURI().toString()).as("My Apps asks for the wiki's password")
                    .startsWith(demo.stack.externalUrl("login") + "passwords/");
            assertThat(wiki.getContentAsString()).contains(DemoPasswordApps.WIKI_NAME);
            wiki = SignInForms.storePassword(browser, wiki, DemoPasswordApps.WIKI_USER, vault.wikiPassword);
        }
        assertThat(wiki.getStatus()).as(wiki.getContentAsString()).isEqualTo(200);
        assertThat(wiki.getRequest().getURI().toString()).as("run " + run).isEqualTo(page);
        assertThat(wiki.getContentAsString()).contains("<h1>Signed in as demo</h1>", "<p id=\"path\">/pages/welcome</p>",
                row("X-Drawbridge-User", DemoUser.UPN)).doesNotContain(vault.wikiPassword, "type=\"password\"");

        ContentResponse reports = SignInForms.open(browser, vault.reportsUrl + "monthly");
        assertThat(reports.getStatus()).as(reports.getContentAsString()).isEqualTo(200);
        assertThat(reports.getContentAsString()).as("run " + run)
                .contains("<span id=\"user\">" + DemoPasswordApps.REPORTS_ACCOUNT + "</span> (<span id=\"auth\">Basic</span>)",
                        row("X-Drawbridge-User", DemoUser.UPN), row("Authorization", "scheme Basic (credentials not shown)"));

        assertThat(DemoMain.banner(demo, dir.resolve("ca.pem"))).contains("Forms SSO app:     " + vault.wikiUrl,
                DemoPasswordApps.WIKI_USER + " / " + vault.wikiPassword, "Basic SSO app:     " + vault.reportsUrl);
    }

    private static String row(String header, String value) {
        return "<tr><td><code>" + header + "</code></td><td>" + value + "</td></tr>";
    }

    /** Each app once (a run after the first re-points it), the demo's group once with the user in it once. */
    private static void assertEachOnce(Demo demo, String... apps) throws Exception {
        var api = demo.stack.adminApi();
        assertThat(api.apps().list(Paging.LARGEST).items().stream().collect(Collectors.groupingBy(AppView::name, Collectors.counting())))
                .containsAllEntriesOf(List.of(apps).stream().collect(Collectors.toMap(Function.identity(), a -> 1L)));
        List<GroupView> groups = api.groups().list(Paging.LARGEST, new Users.Search(DemoUser.GROUP)).items();
        assertThat(groups).singleElement().satisfies(g -> assertThat(api.groups().members(g.id())).singleElement()
                .satisfies(u -> assertThat(u.upn()).isEqualTo(DemoUser.UPN)));
    }

    /** A browser-like client signed in as the demo user through the sign-in form. */
    private static HttpClient signedIn(Demo demo) throws Exception {
        HttpClient browser = Https.client(demo.stack.server().serverCaCertificate(), true);
        ContentResponse r = SignInForms.signIn(browser, demo.url, demo.stack.externalUrl("login"), DemoUser.UPN, demo.user.orElseThrow().password());
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(200);
        return browser;
    }
}
