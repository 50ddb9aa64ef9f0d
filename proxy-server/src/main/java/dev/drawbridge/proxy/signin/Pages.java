package dev.drawbridge.proxy.signin;

import dev.drawbridge.proxy.web.Responses;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import static dev.drawbridge.proxy.web.Responses.escape;

/** The HTML of the sign-in host: sign-in form, sign-out confirmation, signed-out page, portal. */
final class Pages {
    private Pages() {
    }

    private static final String STYLE = """
            <style>body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d2330}
            main{max-width:26rem;margin:4rem auto;background:#fff;padding:2rem 2.5rem;border-radius:8px;box-shadow:0 1px 4px #0002}
            h1{font-size:1.4rem;margin-top:0}label{display:block;margin:.8rem 0 .2rem}input[type=text],input[type=password]{width:100%;
            padding:.5rem;box-sizing:border-box}button{margin-top:1.2rem;padding:.55rem 1.2rem}.error{color:#b42318}
            .brand{color:#6b7280;font-size:.9rem}ul{padding-left:1.2rem}.or{color:#6b7280;text-align:center}
            a.button{display:block;text-align:center;padding:.55rem 1.2rem;border:1px solid #1d2330;border-radius:4px;color:#1d2330;text-decoration:none}
            ul.tiles{list-style:none;padding:0}ul.tiles li{display:flex;align-items:center;gap:.7rem;margin:.5rem 0}
            .icon{width:32px;height:32px;border-radius:6px;flex:none}.tile{display:inline-flex;align-items:center;justify-content:center;
            color:#fff;font-weight:600}main.wide{max-width:46rem}.methods{display:flex;flex-wrap:wrap;gap:2rem}.methods>section{flex:1 1 18rem}
            .providers a.button{margin:.5rem 0}input[type=email]{width:100%;padding:.5rem;box-sizing:border-box}h2{font-size:1.05rem}</style>""";

    static void write(Response response, Callback callback, int status, String title, String body) {
        write(response, callback, status, title, body, "");
    }

    static void write(Response response, Callback callback, int status, String title, String body, String imgSrc) {
        write(response, callback, status, title, body, imgSrc, List.of(), false);
    }

    /**
     * A page; {@code formActions} are origins beyond {@code 'self' https:} that a form's redirects may reach (an identity
     * provider on a loopback http address, which home-realm discovery redirects to), {@code wide} for two columns.
     */
    static void write(Response response, Callback callback, int status, String title, String body, String imgSrc, List<String> formActions,
                      boolean wide) {
        String html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">"
                + "<title>" + escape(title) + " · Drawbridge</title>" + STYLE + "</head><body><main" + (wide ? " class=\"wide\"" : "")
                + "><p class=\"brand\">Drawbridge</p><h1>" + escape(title) + "</h1>" + body + "</main></body></html>";
        // form-action covers the redirects after a POST too: the sign-in form ends on an app host.
        response.getHeaders().put("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' https:"
                + formActions.stream().map(o -> " " + o).reduce("", String::concat) + "; frame-ancestors 'none'"
                + (imgSrc.isEmpty() ? "" : "; img-src " + imgSrc));
        response.getHeaders().put("X-Frame-Options", "DENY");
        response.getHeaders().put("Referrer-Policy", "no-referrer");
        Responses.write(response, callback, status, "text/html;charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    /** An identity provider's button on the sign-in page. */
    record ProviderButton(String id, String label) {
    }

    /**
     * The ways to sign in: a button per provider, the email field of home-realm discovery when a provider has email
     * domains, the http origins of loopback providers (for the page's form-action), and the password form when the
     * directory has users who sign in with a password.
     */
    record Choices(List<ProviderButton> providers, boolean discovery, List<String> formActions, boolean password) {
        Choices {
            providers = List.copyOf(providers);
            formActions = List.copyOf(formActions);
        }
    }

    static void signIn(Response response, Callback callback, int status, String csrf, String appId, String path,
                       String appName, String upn, String error, Choices choices) {
        String hidden = "<input type=\"hidden\" name=\"csrf\" value=\"" + escape(csrf) + "\">"
                + "<input type=\"hidden\" name=\"app\" value=\"" + escape(appId) + "\">"
                + "<input type=\"hidden\" name=\"p\" value=\"" + escape(path) + "\">";
        StringBuilder others = new StringBuilder();
        if (choices.discovery()) {
            others.append("<form method=\"post\" action=\"/federation/discover\" id=\"hrd\">").append(hidden)
                    .append("<label for=\"email\">Sign in with your work email</label><input type=\"email\" id=\"email\" name=\"email\" ")
                    .append("autocomplete=\"email\" maxlength=\"320\" required><button type=\"submit\" id=\"continue\">Continue</button></form>");
        }
        if (!choices.providers().isEmpty()) {
            others.append(choices.discovery() ? "<p class=\"or\">or</p>" : "").append("<div class=\"providers\" id=\"providers\">");
            for (ProviderButton b : choices.providers()) {
                others.append("<a id=\"federated-").append(escape(b.id())).append("\" class=\"button federated\" href=\"/federation/start?provider=")
                        .append(escape(SignInService.enc(b.id()))).append("&amp;").append(appId.isEmpty() ? "" : "app=" + escape(SignInService.enc(appId))
                        + "&amp;").append("p=").append(escape(SignInService.enc(path))).append("\">Sign in with ").append(escape(b.label()))
                        .append("</a>");
            }
            others.append("</div>");
        }
        String password = "<form method=\"post\" action=\"/signin\">"
                + "<input type=\"hidden\" name=\"csrf\" value=\"" + escape(csrf) + "\">"
                + "<input type=\"hidden\" name=\"app\" value=\"" + escape(appId) + "\">"
                + "<input type=\"hidden\" name=\"p\" value=\"" + escape(path) + "\">"
                + "<label for=\"upn\">User name</label><input type=\"text\" id=\"upn\" name=\"upn\" autocomplete=\"username\" value=\""
                + escape(upn) + "\" required autofocus>"
                + "<label for=\"password\">Password</label>"
                + "<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required>"
                + "<button type=\"submit\" id=\"signin\">Sign in</button></form>";
        String head = (appName.isEmpty() ? "" : "<p>to continue to <strong>" + escape(appName) + "</strong></p>")
                + (error.isEmpty() ? "" : "<p class=\"error\" role=\"alert\">" + escape(error) + "</p>");
        String body = others.isEmpty() ? head + password : !choices.password() ? head + "<section id=\"other-methods\">" + others + "</section>"
                : head + "<div class=\"methods\"><section id=\"password-method\"><h2>Password</h2>" + password
                + "</section><section id=\"other-methods\"><h2>Your organization</h2>" + others + "</section></div>";
        write(response, callback, status, "Sign in", body, "", choices.formActions(), !others.isEmpty() && choices.password());
    }

    static void mfa(Response response, Callback callback, int status, String csrf, String appId, String path, String error) {
        write(response, callback, status, "Two-step verification", (error.isEmpty() ? "" : "<p class=\"error\" role=\"alert\">"
                + escape(error) + "</p>") + "<p>Enter the 6-digit code from your authenticator app, or one of your recovery codes.</p>"
                + "<form method=\"post\" action=\"/mfa\"><input type=\"hidden\" name=\"csrf\" value=\"" + escape(csrf) + "\">"
                + "<input type=\"hidden\" name=\"app\" value=\"" + escape(appId) + "\">"
                + "<input type=\"hidden\" name=\"p\" value=\"" + escape(path) + "\">"
                + "<label for=\"code\">Code</label><input type=\"text\" id=\"code\" name=\"code\" inputmode=\"numeric\" "
                + "autocomplete=\"one-time-code\" required autofocus><button type=\"submit\" id=\"verify\">Verify</button></form>");
    }

    static void enroll(Response response, Callback callback, int status, String csrf, String secret, String qrDataUri, String error) {
        write(response, callback, status, "Set up two-step verification", (error.isEmpty() ? "" : "<p class=\"error\" role=\"alert\">"
                + escape(error) + "</p>") + "<p>Scan this code with an authenticator app, or type the key by hand.</p>"
                + "<p><img id=\"qr\" alt=\"QR code\" width=\"200\" height=\"200\" src=\"" + escape(qrDataUri) + "\"></p>"
                + "<p>Key: <code id=\"secret\">" + escape(secret) + "</code></p>"
                + "<form method=\"post\" action=\"/mfa/enroll\"><input type=\"hidden\" name=\"csrf\" value=\"" + escape(csrf) + "\">"
                + "<label for=\"code\">Code from the app</label><input type=\"text\" id=\"code\" name=\"code\" inputmode=\"numeric\" "
                + "autocomplete=\"one-time-code\" required><button type=\"submit\" id=\"confirm\">Turn on</button></form>", "data:");
    }

    static void recoveryCodes(Response response, Callback callback, List<String> codes) {
        StringBuilder b = new StringBuilder("<p>Two-step verification is on. Keep these recovery codes somewhere safe: "
                + "each works once if you lose your authenticator. They will not be shown again.</p><ul id=\"recovery\">");
        codes.forEach(c -> b.append("<li><code>").append(escape(c)).append("</code></li>"));
        write(response, callback, 200, "Recovery codes", b.append("</ul><p><a href=\"/\">My Apps</a></p>").toString());
    }

    static void signOutConfirm(Response response, Callback callback, String csrf, String upn) {
        write(response, callback, 200, "Sign out", "<p>Signed in as <strong>" + escape(upn) + "</strong>.</p>"
                + "<form method=\"post\" action=\"/signout\"><input type=\"hidden\" name=\"csrf\" value=\"" + escape(csrf) + "\">"
                + "<button type=\"submit\" id=\"signout\">Sign out everywhere</button></form>");
    }

    static void signedOut(Response response, Callback callback) {
        write(response, callback, 200, "You are signed out", "<p>You are signed out of every app. You can close this window.</p>"
                + "<p><a href=\"/signin\">Sign in again</a></p>");
    }

    /** One launchable app in the portal. */
    record PortalApp(String name, String url, String iconUrl) {
    }

    /** The app's icon, or a tile with its first letter in a colour derived from its name. */
    static String icon(PortalApp a) {
        if (!a.iconUrl().isEmpty()) {
            return "<img class=\"icon\" alt=\"\" src=\"" + escape(a.iconUrl()) + "\">";
        }
        String letter = a.name().isEmpty() ? "?" : a.name().substring(0, a.name().offsetByCodePoints(0, 1)).toUpperCase(Locale.ROOT);
        int hue = Math.floorMod(a.name().hashCode(), 360);
        return "<span class=\"icon tile\" aria-hidden=\"true\" style=\"background:hsl(" + hue + ",45%,40%)\">" + escape(letter) + "</span>";
    }

    /** An app the user may ask for, and what happened to the last request. */
    record Requestable(String appId, String name, String pendingSince) {
    }

    /** One pending request an app owner can decide. */
    record PendingRequest(String id, String appName, String upn, String reason, String since) {
    }

    static void ownerRequests(Response response, Callback callback, String csrf, List<PendingRequest> pending) {
        StringBuilder b = new StringBuilder();
        if (pending.isEmpty()) {
            b.append("<p>No requests are waiting for you.</p>");
        }
        for (PendingRequest r : pending) {
            b.append("<div class=\"request\"><p><strong>").append(escape(r.upn())).append("</strong> asks for <strong>")
                    .append(escape(r.appName())).append("</strong> (since ").append(escape(r.since())).append("): ")
                    .append(escape(r.reason())).append("</p><form method=\"post\" action=\"/requests\">")
                    .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(escape(csrf)).append("\">")
                    .append("<input type=\"hidden\" name=\"id\" value=\"").append(escape(r.id())).append("\">")
                    .append("<button type=\"submit\" name=\"decision\" value=\"approve\" class=\"approve\">Approve</button> ")
                    .append("<button type=\"submit\" name=\"decision\" value=\"deny\" class=\"deny\">Deny</button></form></div>");
        }
        write(response, callback, 200, "Access requests", b.append("<p><a href=\"/\">My Apps</a></p>").toString());
    }

    static void requestForm(Response response, Callback callback, String csrf, String appId, String appName) {
        write(response, callback, 200, "Request access to " + appName, "<form method=\"post\" action=\"/request\">"
                + "<input type=\"hidden\" name=\"csrf\" value=\"" + escape(csrf) + "\">"
                + "<input type=\"hidden\" name=\"app\" value=\"" + escape(appId) + "\">"
                + "<label for=\"reason\">Why do you need it?</label><input type=\"text\" id=\"reason\" name=\"reason\" maxlength=\"1000\" required>"
                + "<button type=\"submit\" id=\"send\">Send request</button></form>");
    }

    static void portal(Response response, Callback callback, String displayName, List<PortalApp> apps, boolean mfaEnrolled,
                       List<Requestable> requestable, int requestsToReview, boolean passwords) {
        StringBuilder b = new StringBuilder("<p>Signed in as <strong>" + escape(displayName) + "</strong> · <a href=\"/signout\">Sign out</a></p>");
        if (passwords) {
            b.append("<p><a id=\"passwords\" href=\"").append(PasswordPages.PREFIX).append("\">Passwords for apps</a></p>");
        }
        if (!mfaEnrolled) {
            b.append("<p><a id=\"enroll\" href=\"/mfa/enroll\">Set up two-step verification</a></p>");
        }
        if (requestsToReview > 0) {
            b.append("<p><a id=\"review\" href=\"/requests\">Access requests to review (").append(requestsToReview).append(")</a></p>");
        }
        if (apps.isEmpty()) {
            b.append("<p>No apps are assigned to you yet.</p>");
        } else {
            b.append("<ul id=\"apps\" class=\"tiles\">");
            // A wildcard app has no single address (url ""): its tile names it without a link.
            apps.forEach(a -> b.append("<li>").append(icon(a)).append(a.url().isEmpty() ? "<span class=\"nolink\">" + escape(a.name()) + "</span>"
                    : "<a href=\"" + escape(a.url()) + "\">" + escape(a.name()) + "</a>").append("</li>"));
            b.append("</ul>");
        }
        if (!requestable.isEmpty()) {
            b.append("<h2>Other apps</h2><ul id=\"requestable\">");
            for (Requestable r : requestable) {
                b.append("<li>").append(escape(r.name())).append(" · ");
                b.append(r.pendingSince().isEmpty() ? "<a href=\"/request?app=" + escape(r.appId()) + "\">Request access</a>"
                        : "request pending since " + escape(r.pendingSince()));
                b.append("</li>");
            }
            b.append("</ul>");
        }
        write(response, callback, 200, "My Apps", b.toString(), "'self'");
    }
}
