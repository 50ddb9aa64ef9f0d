package dev.drawbridge.testsupport.sample;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link JettyBasicBackend} over a real socket: every page but {@code /public/} needs a known user and password (RFC
 * 7617 in UTF-8, non-ASCII included); anything else — none, a wrong password, an unknown user, another scheme, a
 * value that is not Base64 or has no {@code :} — is a {@code 401} with the Basic challenge, never a page or a server
 * error; the page names the user and shows the {@code Authorization} scheme, never the password.
 */
class JettyBasicBackendTest {
    static final String PASSWORD = "Grüße & <Tresor> €1";
    static JettyBasicBackend backend;
    static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        backend = JettyBasicBackend.start(Map.of("svc-reports", PASSWORD, "bob", "bob's password"));
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        backend.close();
    }

    private static HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(backend.baseUri().resolve(path)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theRightUserAndPasswordInUtf8OpenEveryPageNamingTheUser() throws Exception {
        for (String path : List.of("/", "/reports/2024?q=1", "/whoami")) {
            HttpResponse<String> r = get(path, "Authorization", basic("svc-reports", PASSWORD), "X-Drawbridge-User", "demo@drawbridge.localhost");
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.body()).contains("<span id=\"user\">svc-reports</span> (<span id=\"auth\">Basic</span>)")
                    .contains("<tr><td><code>X-Drawbridge-User</code></td><td>demo@drawbridge.localhost</td></tr>")
                    .contains("<tr><td><code>Authorization</code></td><td>scheme Basic (credentials not shown)</td></tr>")
                    .doesNotContain("Grüße").doesNotContain(Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(get("/", "Authorization", basic("bob", "bob's password")).body()).contains("<span id=\"user\">bob</span>");
    }

    @Test
    void everythingElseIsTheBasicChallenge() throws Exception {
        String latin1 = "Basic " + Base64.getEncoder().encodeToString(("svc-reports:" + PASSWORD).getBytes(StandardCharsets.ISO_8859_1));
        List<List<String>> refused = List.of(List.of(),
                List.of("Authorization", basic("svc-reports", "wrong")),
                List.of("Authorization", basic("svc-reports", PASSWORD + " ")),
                List.of("Authorization", basic("SVC-REPORTS", PASSWORD)),
                List.of("Authorization", basic("nobody", PASSWORD)),
                List.of("Authorization", basic("bob", PASSWORD)),
                List.of("Authorization", basic("", "")),
                List.of("Authorization", latin1),
                List.of("Authorization", "Bearer " + Base64.getEncoder().encodeToString(("svc-reports:" + PASSWORD).getBytes(StandardCharsets.UTF_8))),
                List.of("Authorization", "Basic not*base64!"),
                List.of("Authorization", "Basic " + Base64.getEncoder().encodeToString("no-colon".getBytes(StandardCharsets.UTF_8))),
                List.of("Authorization", "Basic"));
        for (List<String> headers : refused) {
            HttpResponse<String> r = get("/reports", headers.toArray(String[]::new));
            assertThat(r.statusCode()).as(headers.toString()).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).as(headers.toString())
                    .hasValue("Basic realm=\"" + JettyBasicBackend.REALM + "\", charset=\"UTF-8\"");
            assertThat(r.body()).as(headers.toString()).doesNotContain("Signed in");
        }
    }

    @Test
    void thePublicPagesNeedNobody() throws Exception {
        HttpResponse<String> r = get("/public/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("public page").doesNotContain("Signed in");
    }
}
