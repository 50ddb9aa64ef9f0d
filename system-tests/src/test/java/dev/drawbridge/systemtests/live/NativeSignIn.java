package dev.drawbridge.systemtests.live;

import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import dev.drawbridge.proxy.web.Json;
import dev.drawbridge.testsupport.signin.SignInForms;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.Https;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.FormRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.Fields;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The native client {@code cli}'s sign-in (authorization code with PKCE, loopback redirect) for one app's access token. */
public final class NativeSignIn {
    static final String REDIRECT = "http://127.0.0.1:53682/callback";

    private NativeSignIn() {
    }

    /** An access token for {@code appUrl}, of {@code upn} (password {@link HeldStreams#PASSWORD}). */
    static String accessToken(DrawbridgeStack stack, String appUrl, String upn) throws Exception {
        return accessToken(stack, appUrl, appUrl + "echo/in", upn, HeldStreams.PASSWORD, true);
    }

    /**
     * An access token for {@code appUrl}, of {@code upn} with {@code password}: signs in with a browser through
     * {@code signInUrl} (a page of the app; its answer must be 200 when {@code pageAnswers}, else only the session it
     * leaves counts), authorizes with PKCE and redeems the code.
     */
    public static String accessToken(DrawbridgeStack stack, String appUrl, String signInUrl, String upn, String password,
                                     boolean pageAnswers) throws Exception {
        String login = stack.externalUrl("login");
        HttpClient browser = Https.client(stack.server().serverCaCertificate(), true);
        try {
            int signedIn = SignInForms.signIn(browser, signInUrl, login, upn, password).getStatus();
            if (pageAnswers) {
                assertThat(signedIn).isEqualTo(200);
            }
            CodeVerifier verifier = new CodeVerifier();
            String challenge = CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue();
            ContentResponse r = browser.newRequest(URI.create(login + "authorize?response_type=code&client_id=cli&state=s"
                    + "&code_challenge_method=S256&code_challenge=" + challenge + "&redirect_uri=" + enc(REDIRECT) + "&resource=" + enc(appUrl)))
                    .timeout(20, TimeUnit.SECONDS).send();
            Matcher m = Pattern.compile("^" + Pattern.quote(REDIRECT) + "\\?code=([^&]+)&state=s$").matcher(String.valueOf(r.getHeaders()
                    .get("Location")));
            assertThat(m.find()).as("a code").isTrue();
            Fields f = new Fields();
            f.put("grant_type", "authorization_code");
            f.put("code", m.group(1));
            f.put("client_id", "cli");
            f.put("redirect_uri", REDIRECT);
            f.put("code_verifier", verifier.getValue());
            ContentResponse token = stack.http().newRequest(URI.create(login + "token")).method("POST").body(new FormRequestContent(f))
                    .timeout(20, TimeUnit.SECONDS).send();
            assertThat(token.getStatus()).as(token.getContentAsString()).isEqualTo(200);
            return Json.MAPPER.readTree(token.getContent()).path("access_token").asText();
        } finally {
            browser.stop();
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
