package dev.drawbridge.testsupport.sample;

import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small backend with a login form of its own, for password vaulting (forms): a real Jetty server on a loopback port
 * with its own session cookie {@code FSESSION} and a CSRF token in a hidden field bound to that session, as typical
 * intranet apps have.
 * <ul>
 *   <li>{@code GET /login[?next=/path]}: the form (fields {@code user}, {@code pass}, hidden {@code csrf} and
 *       {@code next}); starts a session (Set-Cookie) when there is none;</li>
 *   <li>{@code POST /login}: with the session's CSRF token and a known user's password, marks the session signed in and
 *       redirects (302) to {@code next}; otherwise shows the form again ("wrong user name or password");</li>
 *   <li>{@code GET /logout}: ends the session; {@code GET /public}: a page that needs no session;</li>
 *   <li>any other path: a signed-in session gets a page "Signed in as USER" with the path and who the app sees
 *       ({@link SignInFacts}); others a 302 to {@code /login?next=PATH}.</li>
 * </ul>
 * Users and passwords are set with {@link #user}; {@link #posts} counts login attempts and {@link #lastPost} keeps the
 * last posted field names (never their values) for tests.
 */
public final class FormsLoginBackend implements AutoCloseable {
    public static final String COOKIE = "FSESSION";
    private final Server server;
    private final ServerConnector connector;
    private final Map<String, String> users = new ConcurrentHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger posts = new AtomicInteger();
    private final List<String> postedFields = new CopyOnWriteArrayList<>();
    private final SecureRandom random = new SecureRandom();
    private volatile String formAction = "/login";

    private static final class Session {
        final String csrf;
        volatile String user;

        Session(String csrf) {
            this.csrf = csrf;
        }
    }

    private FormsLoginBackend(int port) {
        server = new Server(new VirtualThreadPool());
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                serve(request, response, callback);
                return true;
            }
        });
    }

    /** Starts the backend on an ephemeral loopback port. */
    public static FormsLoginBackend start() throws Exception {
        return start(0);
    }

    /**
     * Starts the backend on this loopback port (0: an ephemeral one), e.g. the port of an earlier run, so that the
     * passwords stored for its address stay valid; fails (and leaves nothing running) when the port is taken.
     */
    public static FormsLoginBackend start(int port) throws Exception {
        FormsLoginBackend b = new FormsLoginBackend(port);
        try {
            b.server.start();
        } catch (Exception e) {
            b.server.stop();
            throw e;
        }
        return b;
    }

    /** Adds (or changes the password of) a user. */
    public FormsLoginBackend user(String name, String password) {
        users.put(name, password);
        return this;
    }

    /** {@code http://127.0.0.1:port}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    /** Makes the login form post to {@code action} (a hostile or broken page, for tests); {@code /login} by default. */
    public void formAction(String action) {
        this.formAction = action;
    }

    /** How many times the login form was posted. */
    public int posts() {
        return posts.get();
    }

    /** The field names of every login post, in order, joined with {@code &} per post. */
    public List<String> postedFields() {
        return List.copyOf(postedFields);
    }

    private void serve(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        Session session = session(request);
        if (path.equals("/login") && request.getMethod().equals("POST")) {
            posts.incrementAndGet();
            Fields form = formFields(request);
            postedFields.add(String.join("&", form.getNames()));
            Session s = session;
            String user = form.getValue("user");
            String pass = form.getValue("pass");
            String expected = user == null ? null : users.get(user);
            boolean ok = s != null && equal(s.csrf, form.getValue("csrf")) && expected != null && equal(expected, pass);
            if (!ok) {
                loginPage(request, response, callback, form.getValue("next"), "wrong user name or password");
                return;
            }
            // A new session after signing in (as real apps do against session fixation).
            sessions.values().remove(s);
            String id = newId();
            Session signedIn = new Session(newId());
            signedIn.user = user;
            sessions.put(id, signedIn);
            Response.addCookie(response, HttpCookie.build(COOKIE, id).path("/").httpOnly(true).build());
            String next = form.getValue("next");
            Response.sendRedirect(request, response, callback, 302, next != null && next.startsWith("/") && !next.startsWith("//") ? next : "/", false);
            return;
        }
        if (path.equals("/login")) {
            loginPage(request, response, callback, Request.extractQueryParameters(request).getValue("next"), null);
            return;
        }
        if (path.equals("/logout")) {
            if (session != null) {
                sessions.values().remove(session);
            }
            Response.sendRedirect(request, response, callback, 302, "/login", false);
            return;
        }
        if (path.equals("/public")) {
            html(response, callback, 200, "<!doctype html><title>Public</title><p>A page for everyone</p>");
            return;
        }
        if (session == null || session.user == null) {
            String q = request.getHttpURI().getQuery();
            Response.sendRedirect(request, response, callback, 302,
                    "/login?next=" + URLEncoder.encode(path + (q == null ? "" : "?" + q), StandardCharsets.UTF_8), false);
            return;
        }
        html(response, callback, 200, "<!doctype html><title>Forms app</title><h1>Signed in as " + escape(session.user)
                + "</h1><p id=\"path\">" + escape(path) + "</p>\n" + HtmlPages.whoTheAppSees(SignInFacts.of(request)));
    }

    private static Fields formFields(Request request) throws Exception {
        return FormFields.getFields(request);
    }

    private void loginPage(Request request, Response response, Callback callback, String next, String error) {
        Session s = session(request);
        if (s == null) {
            String id = newId();
            s = new Session(newId());
            sessions.put(id, s);
            Response.addCookie(response, HttpCookie.build(COOKIE, id).path("/").httpOnly(true).build());
        }
        html(response, callback, 200, "<!doctype html><title>Sign in</title>"
                + (error == null ? "" : "<p class=\"error\">" + error + "</p>")
                + "<form method=\"post\" action=\"" + escape(formAction) + "\"><input type=\"hidden\" name=\"csrf\" value=\"" + s.csrf + "\">"
                + "<input type=\"hidden\" name=\"next\" value=\"" + escape(next == null ? "/" : next) + "\">"
                + "<label>User <input type=\"text\" name=\"user\"></label>"
                + "<label>Password <input type=\"password\" name=\"pass\"></label>"
                + "<button type=\"submit\" name=\"go\" value=\"1\">Sign in</button></form>");
    }

    private Session session(Request request) {
        for (HttpCookie c : Request.getCookies(request)) {
            if (c.getName().equals(COOKIE) && sessions.containsKey(c.getValue())) {
                return sessions.get(c.getValue());
            }
        }
        return null;
    }

    private static void html(Response response, Callback callback, int status, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
        response.write(true, StandardCharsets.UTF_8.encode(body), callback);
    }

    private String newId() {
        byte[] b = new byte[18];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static boolean equal(String a, String b) {
        return b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** Runs the backend by hand: user {@code alice}, password {@code alice-pw}. */
    public static void main(String[] args) throws Exception {
        FormsLoginBackend b = start().user("alice", "alice-pw");
        System.out.println("forms-login backend at " + b.url() + " (alice / alice-pw)");
        b.server.join();
    }
}
