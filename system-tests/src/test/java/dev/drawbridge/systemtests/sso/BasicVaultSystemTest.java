package dev.drawbridge.systemtests.sso;

import dev.drawbridge.adminclient.Logs;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.cli.DrawbridgeCli;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AuditLogEntry;
import dev.drawbridge.model.api.BasicSso;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SharedCredential;
import dev.drawbridge.model.api.SignInEvent;
import dev.drawbridge.model.api.SignInLogEntry;
import dev.drawbridge.model.api.SignInResult;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.testsupport.sample.BasicAuthBackend;
import dev.drawbridge.testsupport.signin.SignInForms;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.Https;
import dev.drawbridge.testsupport.time.Await;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Password vaulting for HTTP Basic through the whole stack (client → proxy → tunnel → connector → Apache httpd with
 * mod_auth_basic and an htpasswd file), over real TLS: a user who signs in to a BASIC app is sent to My Apps for the
 * app's password, stores it once (in UTF-8, non-ASCII included) and Apache then sees them as themselves on every
 * request, whatever Authorization the client sends; after the backend's password changes, the next request is refused
 * by Apache once, the user is sent to update it and it is not tried again; an app's shared credential (set with the
 * CLI, from standard input) signs everyone in as the service account, and a wrong one is a page for an administrator.
 */
class BasicVaultSystemTest {
    static final String PASSWORD = "correct horse battery staple";
    static final String ALICE_BACKEND = "pässwörd-€ of alice";
    static final String MALLORY_BACKEND = "mallory's own";
    @TempDir
    static Path dir;
    static BasicAuthBackend backend;
    static DrawbridgeStack stack;
    static String vault, shared, vaultId, sharedId, login;
    static HttpClient alice;

    @BeforeAll
    static void start() throws Exception {
        Optional<String> missing = BasicAuthBackend.unavailable();
        if (missing.isPresent() && BasicAuthBackend.mustRun()) {
            fail(missing.get() + " (DRAWBRIDGE_REQUIRE_SSO_SERVERS=1)");
        }
        assumeTrue(missing.isEmpty(), () -> "skipped: " + missing.orElseThrow());
        backend = BasicAuthBackend.start(Map.of("alice", ALICE_BACKEND, "mallory", MALLORY_BACKEND, "svc-wiki", "service secret"));
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        vault = stack.externalUrl("vault");
        shared = stack.externalUrl("shared");
        login = stack.externalUrl("login");
        AccessSettings open = new AccessSettings(false, true, true, false);
        vaultId = stack.adminApi().apps().create(new AppSpec("Vault", vault, backend.baseUri().toString(), null, null, null,
                PreAuthentication.DIRECTORY, open)).id();
        sharedId = stack.adminApi().apps().create(new AppSpec("Shared", shared, backend.baseUri().toString(), null, null, null,
                PreAuthentication.DIRECTORY, open)).id();
        AppSso.set(stack, vaultId, SsoSettings.basic(BasicSso.USER));
        AppSso.set(stack, sharedId, SsoSettings.basic(BasicSso.SHARED));
        stack.createUser("alice@corp.example", "Alice", PASSWORD);
        stack.createUser("probe@corp.example", "Probe", PASSWORD);
        stack.createUser("carol@corp.example", "Carol", PASSWORD);
        stack.startConnector(dir.resolve("connector"), 1);
        alice = Https.client(stack.server().serverCaCertificate(), true);
        AppSso.await(stack, vault + "public/", "probe@corp.example", PASSWORD,
                probe -> SignInForms.open(probe, vault + "whoami").getRequest().getURI().getPath().startsWith("/passwords/")
                        && SignInForms.open(probe, shared + "whoami").getStatus() == 502);
    }

    @AfterAll
    @SuppressWarnings("try")
    static void stop() throws Exception {
        try (AutoCloseable c = alice == null ? null : alice::stop; AutoCloseable s = stack; AutoCloseable b = backend) {
            // closes all three
        }
    }

    private static ContentResponse send(String url, String... headers) throws Exception {
        return alice.newRequest(URI.create(url)).headers(h -> {
            h.put("Accept", "text/html");
            for (int i = 0; i < headers.length; i += 2) {
                h.add(headers[i], headers[i + 1]);
            }
        }).timeout(20, TimeUnit.SECONDS).send();
    }

    private static long requestsOf(String user) {
        return backend.accessLog().stream().filter(l -> l.contains(" " + user + " ")).count();
    }

    @Test
    void aUserStoresTheirPasswordOnceAndApacheSeesThemWhateverTheClientSends() throws Exception {
        // Signing in lands on My Apps' page for the app's password, on the way to the page asked for.
        ContentResponse form = SignInForms.signIn(alice, vault + "whoami?from=start", login, "alice@corp.example", PASSWORD);
        assertThat(form.getRequest().getURI().toString()).startsWith(login + "passwords/" + vaultId + "?return=");
        assertThat(form.getContentAsString()).contains("Vault").contains("name=\"password\"");

        ContentResponse page = SignInForms.storePassword(alice, form, "alice", ALICE_BACKEND);
        assertThat(page.getStatus()).as(page.getContentAsString()).isEqualTo(200);
        assertThat(page.getRequest().getURI().toString()).isEqualTo(vault + "whoami?from=start");
        assertThat(page.getContentAsString()).contains("<span id=\"user\">alice</span>").contains("(<span id=\"auth\">Basic</span>)");

        // The client's own Authorization, in every spelling, is never what Apache checks.
        String mallory = "Basic " + Base64.getEncoder().encodeToString(("mallory:" + MALLORY_BACKEND).getBytes(StandardCharsets.UTF_8));
        ContentResponse spoofed = send(vault + "whoami", "Authorization", mallory, "authorization", mallory, "AUTHORIZATION", "Basic x");
        assertThat(spoofed.getContentAsString()).contains("<span id=\"user\">alice</span>");
        assertThat(requestsOf("mallory")).isZero();

        // The backend's password changes: Apache refuses the stored one once, the user is sent to update it.
        backend.setPassword("alice", "changed on the backend");
        long before = backend.accessLog().size();
        ContentResponse refused = send(vault + "whoami?after=change");
        assertThat(refused.getStatus()).isEqualTo(303);
        assertThat(refused.getHeaders().get("Location")).startsWith(login + "passwords/" + vaultId + "?return=").endsWith("&reason=refused");
        assertThat(refused.getHeaders().get("WWW-Authenticate")).isNull();
        // Apache writes its access log line after it answered: wait for it.
        Await.until("Apache's access log line of the refused request", Duration.ofSeconds(10), () -> backend.accessLog().size() > before);
        assertThat(backend.accessLog().subList((int) before, backend.accessLog().size())).singleElement().asString()
                .contains("alice").endsWith(" 401");
        // Not tried again: the next request goes straight to My Apps, Apache sees nothing.
        ContentResponse again = send(vault + "whoami");
        assertThat(again.getStatus()).isEqualTo(303);
        assertThat(backend.accessLog()).hasSize((int) before + 1);
        List<SignInLogEntry> log = stack.adminApi().logs().signIns(Paging.LARGEST,
                new Logs.SignInFilter("alice@corp.example", null, SignInResult.FAILURE, SignInEvent.BACKEND_SSO, null, null)).items();
        assertThat(log).singleElement().satisfies(e -> assertThat(e.reason()).contains("refused").doesNotContain(ALICE_BACKEND));

        ContentResponse updated = SignInForms.storePassword(alice, send(refused.getHeaders().get("Location")), "alice", "changed on the backend");
        assertThat(updated.getRequest().getURI().toString()).isEqualTo(vault + "whoami?after=change");
        assertThat(updated.getContentAsString()).contains("<span id=\"user\">alice</span>");
    }

    @Test
    void aSharedCredentialSetWithTheCliSignsEveryoneInAsTheServiceAccount() throws Exception {
        HttpClient carol = Https.client(stack.server().serverCaCertificate(), true);
        try {
            ContentResponse first = SignInForms.signIn(carol, shared + "whoami", login, "carol@corp.example", PASSWORD);
            // No shared credential yet: a page for an administrator, nothing for the user to store.
            assertThat(first.getStatus()).isEqualTo(502);
            assertThat(first.getContentAsString()).contains("administrator").doesNotContain("name=\"password\"");

            assertThat(cli("service secret\n", "apps", "sso", "shared-credential", "set", "Shared", "--username", "svc-wiki",
                    "--password-stdin").exit()).isZero();
            for (HttpClient user : List.of(carol, alice)) {
                ContentResponse page = SignInForms.open(user, shared + "whoami");
                assertThat(page.getStatus()).isEqualTo(200);
                assertThat(page.getContentAsString()).contains("<span id=\"user\">svc-wiki</span>");
            }
        } finally {
            carol.stop();
        }

        stack.adminApi().apps().setSharedCredential(sharedId, new SharedCredential("svc-wiki", "wrong"));
        ContentResponse wrong = send(shared + "whoami");
        assertThat(wrong.getStatus()).isEqualTo(502);
        assertThat(wrong.getContentAsString()).contains("refused").contains("administrator").doesNotContain("wrong");
        assertThat(cli("", "apps", "sso", "shared-credential", "clear", "Shared").exit()).isZero();
        assertThat(send(shared + "whoami").getStatus()).isEqualTo(502);
        List<AuditLogEntry> audit = stack.adminApi().logs().audit(Paging.LARGEST, new Logs.AuditFilter(null, null, null, sharedId, null, null))
                .items().stream().filter(e -> e.action().startsWith("app.sso.")).toList();
        assertThat(audit).extracting(AuditLogEntry::action).containsExactly("app.sso.shared-credential.delete",
                "app.sso.shared-credential.set", "app.sso.shared-credential.set");
        assertThat(audit).allSatisfy(e -> assertThat(e.before() + e.after()).doesNotContain("service secret").doesNotContain("wrong"));
    }

    record Run(int exit, String out, String err) {
    }

    private static Run cli(String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", stack.adminUrl().toString(), "--token", stack.adminToken(), "--ca-file",
                stack.dataDir().resolve("pki/server-ca.pem").toString()));
        StringWriter o = new StringWriter(), e = new StringWriter();
        DrawbridgeCli cli = new DrawbridgeCli(Map.of("DRAWBRIDGE_CONFIG_DIR", dir.resolve("no-login").toString()),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        int code = DrawbridgeCli.commandLine(cli).setOut(new PrintWriter(o, true)).setErr(new PrintWriter(e, true))
                .execute(all.toArray(String[]::new));
        Run r = new Run(code, o.toString(), e.toString());
        assertThat(r.out() + r.err()).doesNotContain("service secret");
        return r;
    }
}
