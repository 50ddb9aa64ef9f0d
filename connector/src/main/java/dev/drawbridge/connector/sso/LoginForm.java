package dev.drawbridge.connector.sso;

import dev.drawbridge.model.api.FormsSso;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.FormElement;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A backend's login form, read with jsoup (an HTML5 parser, as browsers parse): the form that holds the password field
 * (the configured name, or the page's one {@code <input type=password>}), the fields a browser would submit (hidden
 * ones such as CSRF tokens included, per HTML's form-data set), and where it posts. {@link #submission} fills in the user
 * name and password, and refuses a form that would send them anywhere but the backend's own origin, by GET, or in a
 * way this step does not make.
 *
 * @param action   the absolute URL the form posts to
 * @param fields   the form-data set, in order, with the user name and password fields left as the page had them
 * @param username the user-name field's name
 * @param password the password field's name
 */
record LoginForm(URI action, String method, String enctype, List<Field> fields, String username, String password) {
    /** The most fields a login form may have. */
    static final int MAX_FIELDS = 100;

    LoginForm {
        fields = List.copyOf(fields);
    }

    /** One name and value of the form-data set. */
    record Field(String name, String value) {
    }

    /** What the page is to this step. */
    sealed interface Reading {
        /** A login form. */
        record Found(LoginForm form) implements Reading {
        }

        /** Not a login form (no password field): the page is the app's own. */
        record NotAForm() implements Reading {
        }

        /** A login form this step cannot submit; {@code reason} names why (never a secret). */
        record Unusable(String reason) implements Reading {
        }
    }

    /** Reads {@code html}, fetched from {@code pageUrl}, with the app's settings. */
    static Reading read(String html, URI pageUrl, FormsSso settings) {
        Document doc = Jsoup.parse(html, pageUrl.toString());
        List<Element> passwords = settings.password()
                .map(name -> doc.select("input").stream().filter(e -> e.attr("name").equals(name)).toList())
                .orElseGet(() -> doc.select("input").stream()
                        .filter(e -> e.attr("type").equalsIgnoreCase("password")).toList());
        if (passwords.isEmpty()) {
            return new Reading.NotAForm();
        }
        if (passwords.size() > 1) {
            return new Reading.Unusable("the login page has " + passwords.size()
                    + " password fields (set the app's passwordField and usernameField)");
        }
        Element pw = passwords.getFirst();
        FormElement form = pw.closest("form") instanceof FormElement f ? f : null;
        if (form == null || pw.attr("name").isEmpty()) {
            return new Reading.Unusable("the login page's password field has no name or is outside a form");
        }
        Optional<String> user = settings.username().or(() -> detectUsername(form, pw));
        if (user.isEmpty()) {
            return new Reading.Unusable("the login form has no user-name field before its password field (set the app's usernameField)");
        }
        List<Field> fields = new ArrayList<>();
        form.formData().forEach(kv -> fields.add(new Field(kv.key(), kv.value())));
        if (fields.size() > MAX_FIELDS) {
            return new Reading.Unusable("the login form has more than " + MAX_FIELDS + " fields");
        }
        String action = form.hasAttr("action") && !form.attr("action").isBlank() ? form.absUrl("action") : pageUrl.toString();
        URI target;
        try {
            target = URI.create(action);
        } catch (IllegalArgumentException e) {
            return new Reading.Unusable("the login form's action is not a URL");
        }
        return new Reading.Found(new LoginForm(target, form.attr("method").toLowerCase(Locale.ROOT),
                form.attr("enctype").toLowerCase(Locale.ROOT), fields, user.get(), pw.attr("name")));
    }

    /** The last text-like field with a name before the password field (what password managers fill in). */
    private static Optional<String> detectUsername(FormElement form, Element password) {
        String found = null;
        for (Element e : form.elements()) {
            if (e == password) {
                break;
            }
            String type = e.attr("type").toLowerCase(Locale.ROOT);
            if (e.tagName().equals("input") && !e.attr("name").isEmpty()
                    && (type.isEmpty() || type.equals("text") || type.equals("email") || type.equals("tel"))) {
                found = e.attr("name");
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * The body to post ({@code application/x-www-form-urlencoded}, UTF-8) with {@code user} and {@code secret} in their
     * fields; a problem instead when the form would post elsewhere than {@code origin} (scheme, host and port of the
     * app's internal URL), by another method than POST, or as another encoding.
     */
    Submission submission(URI origin, String user, String secret) {
        if (!sameOrigin(action, origin)) {
            return new Submission.Refused("the login form posts to another address than the app's internal URL ("
                    + action.getScheme() + "://" + action.getRawAuthority() + "); Drawbridge sends passwords only to the app");
        }
        if (!method.equals("post")) {
            return new Submission.Refused("the login form is sent with GET (it would put the password in the URL); only POST forms are submitted");
        }
        if (!enctype.isEmpty() && !enctype.equals("application/x-www-form-urlencoded")) {
            return new Submission.Refused("the login form's encoding '" + enctype + "' is not application/x-www-form-urlencoded");
        }
        StringBuilder body = new StringBuilder();
        boolean userSet = false;
        boolean passwordSet = false;
        for (Field f : fields) {
            String value = f.value();
            if (f.name().equals(username) && !userSet) {
                value = user;
                userSet = true;
            } else if (f.name().equals(password) && !passwordSet) {
                value = secret;
                passwordSet = true;
            } else if (f.name().equals(username) || f.name().equals(password)) {
                continue; // one value each, never the page's own next to ours
            }
            append(body, f.name(), value);
        }
        if (!userSet) {
            append(body, username, user);
        }
        if (!passwordSet) {
            append(body, password, secret);
        }
        return new Submission.Post(action, body.toString());
    }

    private static void append(StringBuilder body, String name, String value) {
        if (!body.isEmpty()) {
            body.append('&');
        }
        body.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    /** Same scheme, host (any case) and port (the scheme's default when absent). */
    static boolean sameOrigin(URI a, URI b) {
        if (a.getScheme() == null || b.getScheme() == null || a.getHost() == null || b.getHost() == null || a.getRawUserInfo() != null) {
            return false;
        }
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    /** What to post, or why not. */
    sealed interface Submission {
        /** POST {@code body} to {@code url}. {@link #toString} hides the body (it holds the password). */
        record Post(URI url, String body) implements Submission {
            @Override
            public String toString() {
                return "Post[" + url + ", body hidden]";
            }
        }

        /** Not submitted: {@code reason} says why (never the password). */
        record Refused(String reason) implements Submission {
        }
    }
}
