package dev.drawbridge.systemtests.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.signin.Cookies;
import dev.drawbridge.proxy.web.Json;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.Https;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.FormRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.util.Fields;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Defect 5 of issue 8 through the real stack: the app host's sign-in callback only redeems a one-time code in the
 * browser that started that sign-in. An attacker who signs in with their own account and sends the victim the
 * callback link (login CSRF: the victim would then work in the attacker's account) is refused, and so is every
 * replay: the same code twice, a code opened in another browser, a code for another app, a forged flow cookie. Normal
 * sign-ins, several at once in one browser, and a sign-in link without a binding (an old bookmark) still work.
 */
class LoginCsrfTest {
    static final String PASSWORD = "correct horse battery staple";
    @TempDir
    static Path dir;
    static SampleApp app;
    static DrawbridgeStack stack;
    static String hr;
    static String wiki;
    HttpClient victim;
    HttpClient attacker;

    @BeforeAll
    static void start() throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        hr = stack.externalUrl("hr");
        wiki = stack.externalUrl("wiki");
        AccessSettings open = new AccessSettings(false, true, true, false);
        stack.adminApi().apps().create(new AppSpec("HR", hr, app.baseUri().toString(), null, null, null, PreAuthentication.DIRECTORY, open));
        stack.adminApi().apps().create(new AppSpec("Wiki", wiki, app.baseUri().toString(), null, null, null, PreAuthentication.DIRECTORY, open));
        stack.startConnector(dir.resolve("connector"), 1);
        for (String upn : new String[]{"victim@corp.example", "mallory@corp.example"}) {
            stack.createUser(upn, upn, PASSWORD);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
        app.close();
    }

    @BeforeEach
    void browsers() throws Exception {
        victim = Https.client(stack.server().serverCaCertificate(), true);
        attacker = Https.client(stack.server().serverCaCertificate(), true);
    }

    @AfterEach
    void close() throws Exception {
        victim.stop();
        attacker.stop();
    }

    static ContentResponse get(HttpClient browser, String u) throws Exception {
        return browser.newRequest(URI.create(u)).headers(h -> h.put("Accept", "text/html")).timeout(20, TimeUnit.SECONDS).send();
    }

    static String hidden(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
        assertThat(m.find()).as("hidden field " + name).isTrue();
        return m.group(1);
    }

    /** Opens {@code target} in {@code browser} and signs in as {@code upn}; returns the callback link, not yet opened. */
    static String signInUntilTheCallback(HttpClient browser, String target, String upn) throws Exception {
        ContentResponse first = get(browser, target);
        assertThat(first.getStatus()).isEqualTo(302);
        ContentResponse form = get(browser, first.getHeaders().get("Location"));
        Fields f = new Fields();
        for (String field : new String[]{"csrf", "app", "p"}) {
            f.put(field, hidden(form.getContentAsString(), field));
        }
        f.put("upn", upn);
        f.put("password", PASSWORD);
        ContentResponse posted = browser.newRequest(URI.create(stack.externalUrl("login") + "signin")).method("POST")
                .body(new FormRequestContent(f)).timeout(20, TimeUnit.SECONDS).send();
        assertThat(posted.getStatus()).isEqualTo(303);
        String callback = posted.getHeaders().get("Location");
        assertThat(callback).contains(".drawbridge/callback?code=");
        return callback;
    }

    static boolean hasAppSession(HttpClient browser) {
        return browser.getHttpCookieStore().all().stream().anyMatch(c -> c.getName().startsWith(Cookies.APP_PREFIX) && !c.getValue().isEmpty());
    }

    static String userSeenByTheApp(HttpClient browser, String appUrl) throws Exception {
        ContentResponse r = get(browser, appUrl + "echo/who");
        assertThat(r.getStatus()).isEqualTo(200);
        JsonNode headers = Json.MAPPER.readTree(r.getContent()).path("headers");
        return headers.path("x-drawbridge-user").get(0).asText();
    }

    @Test
    void theAttackersCodeOpenedInTheVictimsBrowserIsRefused() throws Exception {
        // The victim has even started a sign-in of her own: her flow cookie is no match for the attacker's code.
        assertThat(get(victim, hr + "echo/mine").getStatus()).isEqualTo(302);
        String planted = signInUntilTheCallback(attacker, hr + "echo/x", "mallory@corp.example");
        ContentResponse r = get(victim, planted);
        assertThat(r.getStatus()).isEqualTo(400);
        assertThat(r.getHeaders().get("X-Drawbridge-Generated")).isEqualTo("true");
        assertThat(r.getContentAsString()).contains("Sign-in link expired");
        assertThat(hasAppSession(victim)).isFalse();
        assertThat(get(victim, hr + "echo/x").getStatus()).as("still signed out").isEqualTo(302);
        // The attempt spent the code: the attacker cannot use it either.
        assertThat(get(attacker, planted).getStatus()).isEqualTo(400);
    }

    @Test
    void theBrowserThatStartedTheSignInGetsItsSessionOnce() throws Exception {
        String callback = signInUntilTheCallback(victim, hr + "echo/mine?x=1", "victim@corp.example");
        ContentResponse landed = get(victim, callback);
        assertThat(landed.getStatus()).isEqualTo(303);
        assertThat(landed.getHeaders().get("Location")).isEqualTo(hr + "echo/mine?x=1");
        assertThat(userSeenByTheApp(victim, hr)).isEqualTo("victim@corp.example");
        // The flow cookie is gone, and the code cannot be used again, in this browser or another.
        assertThat(victim.getHttpCookieStore().all()).noneMatch(c -> c.getName().startsWith("__Host-drawbridge_nonce_") && !c.isExpired());
        assertThat(get(victim, callback).getStatus()).isEqualTo(400);
        assertThat(get(attacker, callback).getStatus()).isEqualTo(400);
    }

    @Test
    void aStolenCodeIsUselessInAnotherBrowser() throws Exception {
        String callback = signInUntilTheCallback(victim, hr, "victim@corp.example");
        assertThat(get(attacker, callback).getStatus()).isEqualTo(400);
        assertThat(hasAppSession(attacker)).isFalse();
    }

    @Test
    void aCodeForAnotherAppIsRefusedEvenInTheRightBrowser() throws Exception {
        String forWiki = signInUntilTheCallback(victim, wiki, "victim@corp.example");
        ContentResponse r = get(victim, forWiki.replace(wiki, hr));
        assertThat(r.getStatus()).isEqualTo(400);
        assertThat(hasAppSession(victim)).isFalse();
    }

    @Test
    void aForgedFlowCookieIsNoMatch() throws Exception {
        String planted = signInUntilTheCallback(attacker, hr, "mallory@corp.example");
        // Whatever the victim's browser holds under any flow cookie name, only the attacker's own secret would match.
        for (HttpCookie c : attacker.getHttpCookieStore().all()) {
            if (c.getName().startsWith("__Host-drawbridge_nonce_")) {
                victim.getHttpCookieStore().add(URI.create(hr), HttpCookie.build(c.getName(), "forged-" + c.getValue().substring(7))
                        .path("/").secure(true).build());
            }
        }
        assertThat(get(victim, planted).getStatus()).isEqualTo(400);
        assertThat(hasAppSession(victim)).isFalse();
    }

    @Test
    void severalSignInsAtOnceInOneBrowserAllComeBack() throws Exception {
        ContentResponse tab1 = get(victim, hr + "echo/one");
        ContentResponse tab2 = get(victim, wiki + "echo/two");
        ContentResponse form1 = get(victim, tab1.getHeaders().get("Location"));
        get(victim, tab2.getHeaders().get("Location"));
        Fields f = new Fields();
        for (String field : new String[]{"csrf", "app", "p"}) {
            f.put(field, hidden(form1.getContentAsString(), field));
        }
        f.put("upn", "victim@corp.example");
        f.put("password", PASSWORD);
        String callback1 = victim.newRequest(URI.create(stack.externalUrl("login") + "signin")).method("POST")
                .body(new FormRequestContent(f)).timeout(20, TimeUnit.SECONDS).send().getHeaders().get("Location");
        assertThat(get(victim, callback1).getStatus()).isEqualTo(303);
        // The second tab's app now finds a sign-in session on the sign-in host and comes straight back.
        ContentResponse again = get(victim, get(victim, wiki + "echo/two").getHeaders().get("Location"));
        assertThat(again.getStatus()).isEqualTo(302);
        assertThat(get(victim, again.getHeaders().get("Location")).getStatus()).isEqualTo(303);
        assertThat(userSeenByTheApp(victim, wiki)).isEqualTo("victim@corp.example");
        assertThat(userSeenByTheApp(victim, hr)).isEqualTo("victim@corp.example");
    }
}
