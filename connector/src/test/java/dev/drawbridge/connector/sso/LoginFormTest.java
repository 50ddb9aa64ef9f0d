package dev.drawbridge.connector.sso;

import dev.drawbridge.model.api.FormsSso;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reading and filling in a backend's login form: the form-data set a browser would send (hidden CSRF fields carried,
 * buttons and unchecked boxes not), field names configured or detected, forms this step cannot submit named; the
 * password goes only to the app's own origin, by POST, url-encoded, in every spelling of an action that would send it
 * elsewhere refused, and never in a reason.
 */
class LoginFormTest {
    static final URI PAGE = URI.create("http://app.internal:8080/login?next=/x");
    static final URI ORIGIN = URI.create("http://app.internal:8080/");
    static final String SECRET = "s3cret&pw=1 ü";

    static String page(String action, String extra) {
        return "<html><body><form method=POST" + (action == null ? "" : " action=\"" + action + "\"") + ">"
                + "<input type=hidden name=csrf value=tok-123><input name=user value=prefilled>"
                + "<input type=password name=pass value=old>" + extra
                + "<input type=checkbox name=remember value=yes><input type=checkbox name=keep value=on checked>"
                + "<button type=submit>Go</button></form></body></html>";
    }

    static LoginForm found(String html, FormsSso settings) {
        LoginForm.Reading r = LoginForm.read(html, PAGE, settings);
        assertThat(r).isInstanceOf(LoginForm.Reading.Found.class);
        return ((LoginForm.Reading.Found) r).form();
    }

    static List<String> pairs(LoginForm.Submission s) {
        assertThat(s).isInstanceOf(LoginForm.Submission.Post.class);
        return Arrays.stream(((LoginForm.Submission.Post) s).body().split("&")).map(p -> URLDecoder.decode(p, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void theFormIsFilledInAsABrowserWouldWithItsHiddenFields() {
        LoginForm form = found(page("/session", ""), FormsSso.detect("/login"));
        assertThat(form.username()).isEqualTo("user");
        assertThat(form.password()).isEqualTo("pass");
        LoginForm.Submission s = form.submission(ORIGIN, "alice", SECRET);
        assertThat(((LoginForm.Submission.Post) s).url()).isEqualTo(URI.create("http://app.internal:8080/session"));
        assertThat(pairs(s)).containsExactly("csrf=tok-123", "user=alice", "pass=" + SECRET, "keep=on");
        assertThat(s.toString()).doesNotContain("s3cret");
    }

    @Test
    void configuredNamesWinAndDetectionTakesTheLastTextFieldBeforeThePassword() {
        String html = "<form method=post><input name=q type=search><input type=email name=mail><input name=other type=text>"
                + "<input type=password name=pw1><input type=password name=pw2></form>";
        assertThat(LoginForm.read(html, PAGE, FormsSso.detect("/login"))).isInstanceOf(LoginForm.Reading.Unusable.class);
        LoginForm form = found(html, new FormsSso("/login", "mail", "pw2", null));
        assertThat(pairs(form.submission(ORIGIN, "a@b", "pw-value"))).containsExactly("q=", "mail=a@b", "other=", "pw1=", "pw2=pw-value");
        LoginForm detected = found("<form method=post><input type=email name=mail><input name=u><input type=password name=p></form>",
                FormsSso.detect("/login"));
        assertThat(detected.username()).isEqualTo("u");
    }

    @Test
    void aPageWithoutAPasswordFieldIsTheAppsOwnAndBrokenFormsAreNamed() {
        assertThat(LoginForm.read("<p>welcome</p><form><input name=q></form>", PAGE, FormsSso.detect("/login")))
                .isInstanceOf(LoginForm.Reading.NotAForm.class);
        assertThat(LoginForm.read("<input type=password name=p>", PAGE, FormsSso.detect("/login")))
                .isInstanceOf(LoginForm.Reading.Unusable.class);
        assertThat(LoginForm.read("<form method=post><input type=password name=p></form>", PAGE, FormsSso.detect("/login")))
                .isEqualTo(new LoginForm.Reading.Unusable("the login form has no user-name field before its password field (set the app's usernameField)"));
        StringBuilder many = new StringBuilder("<form method=post><input name=u><input type=password name=p>");
        for (int i = 0; i <= LoginForm.MAX_FIELDS; i++) {
            many.append("<input type=hidden name=h").append(i).append(" value=1>");
        }
        assertThat(LoginForm.read(many + "</form>", PAGE, FormsSso.detect("/login"))).isInstanceOf(LoginForm.Reading.Unusable.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://evil.example/login", "//evil.example/login", "https://app.internal:8080/login",
        "http://app.internal:8081/login", "http://app.internal.evil.example:8080/login", "http://app.internal:8080@evil.example/login",
        "http://user@app.internal:8080/login", "javascript:alert(1)", "data:text/html,x", "ftp://app.internal:8080/login",
        "http://127.0.0.1:8080/login", "http://app.internal/login", "\\\\evil.example/login", "/\\evil.example/login"})
    void thePasswordGoesNowhereButTheAppsOwnOrigin(String action) {
        LoginForm.Reading r = LoginForm.read(page(action, ""), PAGE, FormsSso.detect("/login"));
        if (r instanceof LoginForm.Reading.Found f) {
            LoginForm.Submission s = f.form().submission(ORIGIN, "alice", SECRET);
            if (s instanceof LoginForm.Submission.Post p) {
                // Only what a browser would resolve to the app's own origin gets a post.
                assertThat(LoginForm.sameOrigin(p.url(), ORIGIN)).as(action).isTrue();
                assertThat(p.url().getHost()).isEqualTo("app.internal");
                assertThat(p.url().getPort()).isEqualTo(8080);
                assertThat(p.url().getRawUserInfo()).isNull();
            } else {
                assertThat(((LoginForm.Submission.Refused) s).reason()).doesNotContain("s3cret");
            }
        } else {
            assertThat(r).isInstanceOf(LoginForm.Reading.Unusable.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://evil.example/login", "//evil.example/login", "https://app.internal:8080/login",
        "http://app.internal:8081/login", "http://app.internal:8080@evil.example/login", "javascript:alert(1)"})
    void everyActionElsewhereIsRefused(String action) {
        LoginForm form = found(page(action, ""), FormsSso.detect("/login"));
        assertThat(form.submission(ORIGIN, "alice", SECRET)).isInstanceOf(LoginForm.Submission.Refused.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/login", "login", "", "HTTP://APP.INTERNAL:8080/login", "http://app.internal:8080/login", "?a=b", "#frag"})
    void everySpellingOfTheAppsOwnOriginPosts(String action) {
        LoginForm form = found(page(action, ""), FormsSso.detect("/login"));
        assertThat(form.submission(ORIGIN, "alice", SECRET)).isInstanceOf(LoginForm.Submission.Post.class);
        assertThat(form.submission(URI.create("http://APP.internal:8080"), "alice", SECRET)).isInstanceOf(LoginForm.Submission.Post.class);
    }

    @Test
    void getFormsAndOtherEncodingsAreNotSubmitted() {
        for (String html : List.of("<form><input name=u><input type=password name=p></form>",
                "<form method=get><input name=u><input type=password name=p></form>",
                "<form method=post enctype=multipart/form-data><input name=u><input type=password name=p></form>",
                "<form method=post enctype=text/plain><input name=u><input type=password name=p></form>")) {
            LoginForm.Submission s = found(html, FormsSso.detect("/login")).submission(ORIGIN, "alice", SECRET);
            assertThat(s).as(html).isInstanceOf(LoginForm.Submission.Refused.class);
            assertThat(((LoginForm.Submission.Refused) s).reason()).doesNotContain("s3cret");
        }
    }

    @Test
    void fieldsRepeatedByThePageGetOneValueEach() {
        String html = "<form method=post><input name=u value=a><input name=u value=b><input type=password name=p value=old></form>";
        assertThat(pairs(found(html, new FormsSso("/login", "u", "p", null)).submission(ORIGIN, "alice", SECRET)))
                .containsExactly("u=alice", "p=" + SECRET);
        // Two inputs of the configured password field's name: which one is the password is not guessed.
        assertThat(LoginForm.read(html.replace("</form>", "<input type=hidden name=p value=x></form>"), PAGE,
                new FormsSso("/login", "u", "p", null))).isInstanceOf(LoginForm.Reading.Unusable.class);
    }
}
