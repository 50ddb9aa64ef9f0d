package dev.drawbridge.systemtests.identity;

import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.FormRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.Fields;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The sign-in host's HTML forms, driven over plain HTTP by tests that do not need a browser. */
public final class SignInForms {
    private static final Pattern HIDDEN = Pattern.compile("type=\"hidden\" name=\"(\\w+)\" value=\"([^\"]*)\"");

    private SignInForms() {
    }

    /** The hidden fields of a page's form (CSRF token, return path, ...), HTML entities decoded. */
    public static Fields hiddenFields(String html) {
        Fields f = new Fields();
        Matcher m = HIDDEN.matcher(html);
        while (m.find()) {
            f.put(m.group(1), m.group(2).replace("&amp;", "&").replace("&#39;", "'").replace("&quot;", "\""));
        }
        return f;
    }

    /**
     * Opens {@code target} (an app in DIRECTORY mode), follows it to the sign-in form, submits {@code upn} and
     * {@code password} to {@code loginOrigin}/signin, and follows the redirects; returns the final answer.
     */
    public static ContentResponse signIn(HttpClient browser, String target, String loginOrigin, String upn, String password)
            throws Exception {
        ContentResponse r = browser.newRequest(URI.create(target)).headers(h -> h.put("Accept", "text/html"))
                .timeout(20, TimeUnit.SECONDS).send();
        r = browser.newRequest(URI.create(r.getHeaders().get("Location"))).timeout(20, TimeUnit.SECONDS).send();
        Fields f = hiddenFields(r.getContentAsString());
        f.put("upn", upn);
        f.put("password", password);
        r = browser.newRequest(URI.create(loginOrigin + "signin")).method("POST").body(new FormRequestContent(f))
                .timeout(20, TimeUnit.SECONDS).send();
        while (r.getStatus() == 302 || r.getStatus() == 303) {
            r = browser.newRequest(URI.create(r.getHeaders().get("Location"))).headers(h -> h.put("Accept", "text/html"))
                    .timeout(20, TimeUnit.SECONDS).send();
        }
        return r;
    }
}
