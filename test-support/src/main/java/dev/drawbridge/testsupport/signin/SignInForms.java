package dev.drawbridge.testsupport.signin;

import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.FormRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.Fields;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sign-in host's HTML forms (sign-in, My Apps' password page, the SAML auto-POST page), driven over plain HTTP by
 * tests that do not need a browser: the system tests and the demo's. The client is a browser-like one ({@code Https.client(ca, true)}: cookies
 * kept, redirects not followed by itself).
 */
public final class SignInForms {
    private static final Pattern HIDDEN = Pattern.compile("type=\"hidden\" name=\"(\\w+)\" value=\"([^\"]*)\"");
    private static final Pattern POST_ACTION = Pattern.compile("<form method=\"post\" action=\"([^\"]+)\"");
    /** At most this many redirects are followed, as browsers stop a loop. */
    private static final int MAX_REDIRECTS = 10;

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
        return follow(browser, r);
    }

    /** Opens {@code url} as a browser would (HTML accepted), following redirects; the final answer. */
    public static ContentResponse open(HttpClient browser, String url) throws Exception {
        return follow(browser, get(browser, URI.create(url)));
    }

    /**
     * Fills in My Apps' password page for an app ({@code form}, the answer that shows it) with the app's
     * {@code username} and {@code password}, posts it, and follows the way back; returns the final answer (the app's
     * page the user was going to, or the password page again with the reason).
     */
    public static ContentResponse storePassword(HttpClient browser, ContentResponse form, String username, String password)
            throws Exception {
        if (form.getStatus() != 200) {
            throw new AssertionError("not a password page (" + form.getStatus() + "): " + form.getContentAsString());
        }
        Fields f = hiddenFields(form.getContentAsString());
        f.put("username", username);
        f.put("password", password);
        String action = form.getRequest().getURI().toString().replaceFirst("\\?.*", "");
        ContentResponse r = browser.newRequest(URI.create(action)).method("POST").body(new FormRequestContent(f))
                .timeout(20, TimeUnit.SECONDS).send();
        return follow(browser, r);
    }

    /**
     * Submits a page's POST form as a browser does: its hidden fields, with {@code changes} put over them, to its action,
     * from the page's origin (the {@code Origin} header); returns the answer, not followed. For pages a browser's script
     * submits by itself, such as the SAML identity provider's auto-POST page.
     */
    public static ContentResponse submitForm(HttpClient browser, ContentResponse page, Fields changes) throws Exception {
        String html = page.getContentAsString();
        Matcher action = POST_ACTION.matcher(html);
        if (!action.find()) {
            throw new AssertionError("no POST form on the page: " + html);
        }
        Fields f = hiddenFields(html);
        changes.forEach(field -> f.put(field));
        URI from = page.getRequest().getURI();
        String origin = from.getScheme() + "://" + from.getRawAuthority();
        return browser.newRequest(from.resolve(action.group(1).replace("&amp;", "&"))).method("POST").headers(h -> h.put("Origin", origin))
                .body(new FormRequestContent(f)).timeout(20, TimeUnit.SECONDS).send();
    }

    /** Follows redirects (303 and 302, relative locations resolved against the request's URL) as a browser does. */
    private static ContentResponse follow(HttpClient browser, ContentResponse first) throws Exception {
        ContentResponse r = first;
        for (int hops = 0; hops < MAX_REDIRECTS && (r.getStatus() == 302 || r.getStatus() == 303); hops++) {
            r = get(browser, r.getRequest().getURI().resolve(r.getHeaders().get("Location")));
        }
        return r;
    }

    private static ContentResponse get(HttpClient browser, URI url) throws Exception {
        return browser.newRequest(url).headers(h -> h.put("Accept", "text/html")).timeout(20, TimeUnit.SECONDS).send();
    }
}
