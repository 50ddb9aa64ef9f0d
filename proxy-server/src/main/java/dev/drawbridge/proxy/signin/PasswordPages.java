package dev.drawbridge.proxy.signin;

import dev.drawbridge.model.api.Problem.FieldError;
import dev.drawbridge.model.api.validation.SsoRules;
import dev.drawbridge.model.sso.SsoInstruction.Credential;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.RouteTable;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.vault.Vault;
import dev.drawbridge.proxy.vault.VaultStore;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import static dev.drawbridge.proxy.web.Responses.escape;

/**
 * My Apps' passwords for apps that sign in with HTTP Basic (password vaulting, docs/sso.md), on the sign-in host:
 * {@code GET /passwords} lists the user's such apps; {@code GET /passwords/<app id>} asks for the app's user name and
 * password ({@code ?return=} where to go back to, {@code &reason=refused|moved} why the user is asked again);
 * {@code POST} there stores them; {@code POST /passwords/<app id>/delete} deletes them. Every form is CSRF protected like
 * the others of the sign-in host, the password is never shown, logged or put back into a form, and the way back is
 * always a URL on the app's own origin and path ({@link #safeReturn}), never anywhere else.
 */
final class PasswordPages {
    private static final Logger LOG = LoggerFactory.getLogger(PasswordPages.class);
    static final String PREFIX = Vault.PAGES;

    private final Function<Request, Optional<SignInService.Valid>> sessions;
    private final Supplier<RouteTable> routes;
    private final DirectoryStore directory;
    private final Vault vault;

    PasswordPages(Function<Request, Optional<SignInService.Valid>> sessions, Supplier<RouteTable> routes, DirectoryStore directory,
                  Vault vault) {
        this.sessions = sessions;
        this.routes = routes;
        this.directory = directory;
        this.vault = vault;
    }

    /** A page a user may be sent back to after signing in: the list or one app's page, with a query. */
    private static final Pattern PAGE = Pattern.compile(Pattern.quote(PREFIX) + "(/[A-Za-z0-9-]{1,64})?(\\?[^#]*)?");

    /** Whether {@code pathAndQuery} is the list or one app's page (nothing else under them, no dot segments). */
    static boolean isPage(String pathAndQuery) {
        return PAGE.matcher(pathAndQuery).matches();
    }

    /** Whether {@code path} is one of these pages. */
    static boolean handles(String path) {
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }

    void handle(Request request, Response response, Callback callback, String path) {
        Optional<SignInService.Valid> session = sessions.apply(request);
        if (session.isEmpty()) {
            String query = request.getHttpURI().getQuery();
            Response.sendRedirect(request, response, callback, "/signin?p=" + SignInService.enc(path + (query == null ? "" : "?" + query)));
            return;
        }
        DirectoryUser user = session.get().user();
        boolean post = request.getMethod().equals("POST");
        String rest = path.length() > PREFIX.length() ? path.substring(PREFIX.length() + 1) : "";
        if (rest.isEmpty() && !post) {
            list(request, response, callback, user);
        } else if (rest.endsWith("/delete") && post) {
            delete(request, response, callback, user, rest.substring(0, rest.length() - "/delete".length()));
        } else if (!rest.isEmpty() && !rest.contains("/")) {
            Optional<PublishedApp> app = app(rest, user);
            if (app.isEmpty()) {
                Pages.write(response, callback, 404, "No such app", "<p>No app here takes a password from you. <a href=\"" + PREFIX
                        + "\">Passwords for apps</a></p>");
            } else if (post) {
                store(request, response, callback, user, app.get());
            } else {
                Fields q = Request.extractQueryParameters(request);
                form(request, response, callback, 200, app.get(), vault.storedUsername(app.get().id(), user.id()).orElse(""),
                        safeReturn(app.get(), q.getValue(Vault.RETURN)), reasonMessage(app.get(), q.getValue(Vault.REASON)),
                        List.of(), vault.storedUsername(app.get().id(), user.id()).isPresent());
            }
        } else {
            Pages.write(response, callback, 404, "Not found", "<p>There is nothing here. <a href=\"" + PREFIX + "\">Passwords for apps</a></p>");
        }
    }

    /** An app the user may store their own password for: BASIC for users' own, pre-authenticated, assigned to them. */
    private Optional<PublishedApp> app(String id, DirectoryUser user) {
        return routes.get().apps().stream().filter(a -> a.id().equals(id) && Vault.takesUsersOwn(a))
                .filter(a -> !a.access().assignmentRequired() || directory.isAssigned(a.id(), user.id())).findFirst();
    }

    /** Whether the user has an app to store a password for (My Apps links to the list then). */
    boolean offers(DirectoryUser user) {
        return routes.get().apps().stream().anyMatch(a -> app(a.id(), user).isPresent()) || !vault.stored(user.id()).isEmpty();
    }

    private void list(Request request, Response response, Callback callback, DirectoryUser user) {
        Map<String, VaultStore.Opened> stored = vault.stored(user.id());
        List<PublishedApp> apps = routes.get().apps().stream()
                .filter(a -> app(a.id(), user).isPresent() || stored.containsKey(a.id())).toList();
        StringBuilder b = new StringBuilder("<p>Some apps sign you in with a user name and password of their own. Drawbridge keeps"
                + " them encrypted and sends them only to the app; nobody can read a password back, not even you.</p>");
        if (apps.isEmpty()) {
            b.append("<p>None of your apps needs one.</p>");
        } else {
            b.append("<ul id=\"passwords\">");
            for (PublishedApp a : apps) {
                VaultStore.Opened o = stored.get(a.id());
                b.append("<li>").append(escape(a.name())).append(" · ");
                b.append(o == null ? "nothing stored" : "stored for <code>" + escape(o.credential().username()) + "</code>"
                        + (o.refusedAt().isPresent() ? " (the app refused it)" : !Vault.storedFor(o, a) ? " (the app moved or its sign-in changed)" : ""));
                if (app(a.id(), user).isPresent()) {
                    b.append(" · <a href=\"").append(PREFIX).append('/').append(escape(a.id())).append("\">")
                            .append(o == null ? "Store" : "Change").append("</a>");
                }
                b.append("</li>");
            }
            b.append("</ul>");
        }
        Pages.write(response, callback, 200, "Passwords for apps", b.append("<p><a href=\"/\">My Apps</a></p>").toString());
    }

    /** The form; {@code username} is filled in (the stored one, or what was typed), the password never is. */
    private void form(Request request, Response response, Callback callback, int status, PublishedApp app, String username,
                      String returnUrl, String message, List<FieldError> errors, boolean stored) {
        String csrf = SignInHandler.csrf(request, response);
        String action = PREFIX + "/" + escape(app.id());
        StringBuilder b = new StringBuilder("<p><strong>").append(escape(app.name())).append("</strong> signs you in with a user name and"
                + " password of its own. Store them here once: Drawbridge keeps them encrypted and sends them only to the app.</p>");
        if (!message.isEmpty()) {
            b.append("<p class=\"error\" role=\"alert\" id=\"reason\">").append(escape(message)).append("</p>");
        }
        errors.forEach(e -> b.append("<p class=\"error\" role=\"alert\">").append(escape(e.message())).append("</p>"));
        b.append("<form method=\"post\" action=\"").append(action).append("\">")
                .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(escape(csrf)).append("\">")
                .append("<input type=\"hidden\" name=\"").append(Vault.RETURN).append("\" value=\"").append(escape(returnUrl)).append("\">")
                .append("<label for=\"username\">User name for ").append(escape(app.name())).append("</label>")
                .append("<input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"off\" maxlength=\"").append(SsoRules.MAX_USERNAME)
                .append("\" required value=\"").append(escape(username)).append("\">")
                // Never filled in: the stored password is never put back into a page, nor what was typed.
                .append("<label for=\"password\">Password</label><input type=\"password\" id=\"password\" name=\"password\" ")
                .append("autocomplete=\"off\" maxlength=\"").append(SsoRules.MAX_PASSWORD).append("\" required>")
                .append("<button type=\"submit\" id=\"store\">Store and continue</button></form>");
        if (stored) {
            b.append("<form method=\"post\" action=\"").append(action).append("/delete\">")
                    .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(escape(csrf)).append("\">")
                    .append("<button type=\"submit\" id=\"delete\">Delete the stored password</button></form>");
        }
        Pages.write(response, callback, status, "Password for " + app.name(), b.append("<p><a href=\"").append(PREFIX)
                .append("\">Passwords for apps</a> · <a href=\"/\">My Apps</a></p>").toString());
    }

    private void store(Request request, Response response, Callback callback, DirectoryUser user, PublishedApp app) {
        Optional<Fields> read = SignInHandler.readForm(request, response, callback, 5, 16 * 1024);
        if (read.isEmpty()) {
            return;
        }
        Fields form = read.get();
        if (!SignInHandler.csrfValid(request, form)) {
            Pages.write(response, callback, 403, "Session expired", "<p>This form expired or did not come from this site. <a href=\"" + PREFIX
                    + "/" + escape(app.id()) + "\">Try again</a>.</p>");
            return;
        }
        String returnUrl = safeReturn(app, SignInHandler.value(form, Vault.RETURN));
        String username = SignInHandler.value(form, "username");
        String password = SignInHandler.value(form, "password");
        List<FieldError> errors = SsoRules.checkCredential(username, password);
        if (!errors.isEmpty()) {
            form(request, response, callback, 400, app, username, returnUrl, "", errors, vault.storedUsername(app.id(), user.id()).isPresent());
            return;
        }
        vault.store(app, user.id(), new Credential(username, password));
        LOG.info("user {} stored their password for app {}", user.upn(), app.name());
        boolean back = !SignInHandler.value(form, Vault.RETURN).isEmpty();
        Response.sendRedirect(request, response, callback, 303, back ? returnUrl : PREFIX, false);
    }

    private void delete(Request request, Response response, Callback callback, DirectoryUser user, String appId) {
        Optional<Fields> read = SignInHandler.readForm(request, response, callback, 5, 4096);
        if (read.isEmpty()) {
            return;
        }
        if (!SignInHandler.csrfValid(request, read.get())) {
            Pages.write(response, callback, 403, "Session expired", "<p>This form expired or did not come from this site. <a href=\""
                    + PREFIX + "\">Passwords for apps</a></p>");
            return;
        }
        // Only ever the signed-in user's own: the user id comes from the session, never from the form.
        if (vault.delete(appId, user.id())) {
            LOG.info("user {} deleted their stored password for app {}", user.upn(), appId);
        }
        Response.sendRedirect(request, response, callback, 303, PREFIX, false);
    }

    /** Why the user is asked (again), from the link dispatch sent them with. */
    private static String reasonMessage(PublishedApp app, String reason) {
        if ("refused".equals(reason)) {
            return app.name() + " refused the user name and password stored for it. Enter your current ones.";
        }
        if ("moved".equals(reason)) {
            return app.name() + " moved to a new internal address since you stored your password. Enter it again to send it there.";
        }
        return "";
    }

    /**
     * Where to go back to after storing: {@code requested} when it is a URL on the app's own origin and under its path
     * ({@link SignInService#safeReturnPath}: no other app's path, no dot segments, backslashes or control characters);
     * otherwise the app's root. Never another host, scheme, port or user info.
     */
    static String safeReturn(PublishedApp app, String requested) {
        String origin = app.externalOrigin();
        String root = origin + app.externalPath();
        if (requested == null || !requested.startsWith(origin + "/")) {
            return root;
        }
        return origin + SignInService.safeReturnPath(app, requested.substring(origin.length()));
    }
}
