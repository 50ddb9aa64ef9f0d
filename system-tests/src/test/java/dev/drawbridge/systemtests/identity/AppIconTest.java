package dev.drawbridge.systemtests.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.adminclient.Apps;
import dev.drawbridge.adminclient.Icon;
import dev.drawbridge.adminclient.Logs;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppIconView;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.web.Json;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.Https;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.FormRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.Fields;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * App icons end to end: the admin uploads a PNG or an SVG (non-images and oversized bodies are a 400
 * naming the field), My Apps shows the icon or a letter tile, and the sign-in host serves it only to
 * signed-in users, cacheable with an ETag, never sniffed, and SVG under a policy that stops scripts.
 */
class AppIconTest {
    static final String PASSWORD = "correct horse battery staple";
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1};
    static final String SVG = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 8 8\"><script>alert(document.cookie)</script>"
            + "<rect width=\"8\" height=\"8\" fill=\"teal\"/></svg>";
    @TempDir
    static Path dir;
    static DrawbridgeStack stack;
    static String wikiId;
    static String hrId;
    static String login;

    @BeforeAll
    static void start() throws Exception {
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        login = stack.externalUrl("login");
        AccessSettings open = new AccessSettings(false, true, true, false);
        Apps apps = stack.adminApi().apps();
        wikiId = apps.create(new AppSpec("Wiki", stack.externalUrl("wiki"), "http://127.0.0.1:9/", null, null, null,
                PreAuthentication.DIRECTORY, open)).id();
        hrId = apps.create(new AppSpec("HR", stack.externalUrl("hr"), "http://127.0.0.1:9/", null, null, null,
                PreAuthentication.DIRECTORY, open)).id();
        stack.createUser("alice@corp.example", "Alice", PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    /** A raw upload, for the refusals whose status and problem document are the point (setup uses the typed client). */
    static ContentResponse upload(String appId, String type, byte[] body) throws Exception {
        return stack.http().newRequest(stack.adminUrl().resolve("/api/v1/apps/" + appId + "/icon")).method("PUT")
                .headers(h -> h.put("Authorization", "Bearer " + stack.adminToken())).body(new BytesRequestContent(type, body))
                .timeout(20, TimeUnit.SECONDS).send();
    }

    static JsonNode json(ContentResponse r) throws Exception {
        return Json.MAPPER.readTree(r.getContent());
    }

    /** A cookie-keeping client signed in on the sign-in host. */
    static HttpClient signedIn() throws Exception {
        HttpClient b = Https.client(stack.server().serverCaCertificate(), true);
        ContentResponse form = b.newRequest(URI.create(login + "signin")).timeout(20, TimeUnit.SECONDS).send();
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"").matcher(form.getContentAsString());
        assertThat(m.find()).isTrue();
        Fields f = new Fields();
        f.put("csrf", m.group(1));
        f.put("upn", "alice@corp.example");
        f.put("password", PASSWORD);
        ContentResponse r = b.newRequest(URI.create(login + "signin")).method("POST").body(new FormRequestContent(f))
                .timeout(20, TimeUnit.SECONDS).send();
        assertThat(r.getStatus()).isEqualTo(303);
        return b;
    }

    @Test
    void uploadsAreCheckedByTheirBytes() throws Exception {
        ContentResponse notImage = upload(hrId, "image/png", "<html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8));
        assertThat(notImage.getStatus()).isEqualTo(400);
        assertThat(json(notImage).path("errors").get(0).path("field").asText()).isEqualTo("icon");
        byte[] big = new byte[256 * 1024 + 1];
        System.arraycopy(PNG, 0, big, 0, PNG.length);
        ContentResponse oversize = upload(hrId, "image/png", big);
        assertThat(oversize.getStatus()).isEqualTo(400);
        assertThat(json(oversize).path("errors").get(0).path("field").asText()).isEqualTo("icon");
        assertThat(json(oversize).path("detail").asText()).contains("256 KiB");
        assertThat(upload("no-such-app", "image/png", PNG).getStatus()).isEqualTo(404);
        assertThat(stack.api("DELETE", "apps/" + hrId + "/icon", null).status()).isEqualTo(404);
    }

    @Test
    void myAppsShowsTheIconAndServesItSafely() throws Exception {
        AppIconView put = stack.adminApi().apps().setIcon(wikiId, new Icon("image/svg+xml", SVG.getBytes(StandardCharsets.UTF_8)));
        assertThat(put.contentType()).isEqualTo("image/svg+xml");
        assertThat(stack.adminApi().logs().audit(Paging.DEFAULT, new Logs.AuditFilter(null, "app.icon.update", null, null, null, null))
                .total()).isGreaterThanOrEqualTo(1);

        HttpClient b = signedIn();
        try {
            String portal = b.newRequest(URI.create(login)).timeout(20, TimeUnit.SECONDS).send().getContentAsString();
            Matcher img = Pattern.compile("<img class=\"icon\" alt=\"\" src=\"(/icons/" + wikiId + "\\?v=[0-9a-f]{16})\">").matcher(portal);
            assertThat(img.find()).as(portal).isTrue();
            // HR has no icon: a letter tile.
            assertThat(portal).contains(">H</span><a href=\"" + stack.externalUrl("hr") + "\">HR</a>");

            ContentResponse icon = b.newRequest(URI.create(login + img.group(1).substring(1))).timeout(20, TimeUnit.SECONDS).send();
            assertThat(icon.getStatus()).isEqualTo(200);
            assertThat(icon.getHeaders().get("Content-Type")).isEqualTo("image/svg+xml");
            assertThat(icon.getHeaders().get("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(icon.getHeaders().get("Content-Security-Policy")).startsWith("default-src 'none'; style-src 'unsafe-inline'");
            assertThat(icon.getHeaders().get("Cache-Control")).contains("max-age=31536000");
            String etag = icon.getHeaders().get("ETag");
            assertThat(etag).matches("\"[0-9a-f]{64}\"");
            assertThat(icon.getContentAsString()).isEqualTo(SVG);
            ContentResponse again = b.newRequest(URI.create(login + "icons/" + wikiId)).headers(h -> h.put("If-None-Match", etag))
                    .timeout(20, TimeUnit.SECONDS).send();
            assertThat(again.getStatus()).isEqualTo(304);
            assertThat(again.getContent()).isEmpty();

            // Replaced by a PNG, then removed: the portal follows.
            assertThat(stack.adminApi().apps().setIcon(wikiId, new Icon("image/png", PNG)).contentType()).isEqualTo("image/png");
            ContentResponse png = b.newRequest(URI.create(login + "icons/" + wikiId)).timeout(20, TimeUnit.SECONDS).send();
            assertThat(png.getHeaders().get("Content-Type")).isEqualTo("image/png");
            assertThat(png.getContent()).isEqualTo(PNG);
            stack.adminApi().apps().removeIcon(wikiId);
            assertThat(b.newRequest(URI.create(login)).timeout(20, TimeUnit.SECONDS).send().getContentAsString())
                    .doesNotContain("/icons/" + wikiId).contains(">W</span>");
            assertThat(b.newRequest(URI.create(login + "icons/" + wikiId)).timeout(20, TimeUnit.SECONDS).send().getStatus()).isEqualTo(404);
        } finally {
            b.stop();
        }
    }

    @Test
    void iconsAreForSignedInUsersOnly() throws Exception {
        stack.adminApi().apps().setIcon(hrId, new Icon("image/png", PNG));
        HttpClient anonymous = Https.client(stack.server().serverCaCertificate(), true);
        try {
            assertThat(anonymous.newRequest(URI.create(login + "icons/" + hrId)).timeout(20, TimeUnit.SECONDS).send().getStatus()).isEqualTo(401);
        } finally {
            anonymous.stop();
            stack.adminApi().apps().removeIcon(hrId);
        }
    }
}
