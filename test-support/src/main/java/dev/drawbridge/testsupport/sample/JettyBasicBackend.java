package dev.drawbridge.testsupport.sample;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.security.AuthenticationState;
import org.eclipse.jetty.security.Constraint;
import org.eclipse.jetty.security.HashLoginService;
import org.eclipse.jetty.security.SecurityHandler;
import org.eclipse.jetty.security.ServerAuthException;
import org.eclipse.jetty.security.UserStore;
import org.eclipse.jetty.security.authentication.BasicAuthenticator;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.security.Password;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A backend that signs users in with HTTP Basic, in pure Java, for the demo's password-vaulting app: a Jetty server on
 * an ephemeral loopback port whose every page needs a known user and password (Jetty's {@link BasicAuthenticator},
 * RFC 7617 in UTF-8, over an in-memory user store), except {@code /public/}. Without valid credentials it answers
 * {@code 401} with {@code WWW-Authenticate: Basic realm="Drawbridge demo", charset="UTF-8"}; with them, any path is a
 * page "Signed in to the Basic backend as USER (Basic)" (ids {@code user} and {@code auth}, as
 * {@link BasicAuthBackend}'s {@code /whoami}) followed by who the app sees ({@link SignInFacts}: the
 * {@code Authorization} scheme, never its value, and Drawbridge's {@code X-Drawbridge-User}).
 *
 * <p>The tests of password vaulting run against Apache's {@code mod_auth_basic} ({@link BasicAuthBackend}), the real
 * kind of server; this one needs no Debian package, so the demo always has its Basic app.
 */
public final class JettyBasicBackend implements AutoCloseable {
    /** The realm the challenge names. */
    public static final String REALM = "Drawbridge demo";
    private static final String ROLE = "user";

    private final Server server;
    private final ServerConnector connector;

    private JettyBasicBackend(Map<String, String> users) {
        server = new Server(new VirtualThreadPool());
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        UserStore store = new UserStore();
        users.forEach((name, password) -> store.addUser(name, new Password(password), new String[]{ROLE}));
        HashLoginService login = new HashLoginService(REALM);
        login.setUserStore(store);
        SecurityHandler.PathMapped security = new SecurityHandler.PathMapped(new SignedInPage());
        security.setLoginService(login);
        security.setAuthenticator(new Utf8Basic());
        security.put("/*", Constraint.ANY_USER);
        security.put("/public/*", Constraint.ALLOWED);
        server.setHandler(security);
    }

    /** Starts the backend with these users (user name to password, any Unicode) on an ephemeral loopback port. */
    public static JettyBasicBackend start(Map<String, String> users) throws Exception {
        JettyBasicBackend b = new JettyBasicBackend(users);
        b.server.start();
        return b;
    }

    /** {@code http://127.0.0.1:<port>/}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /**
     * Jetty's Basic authenticator in UTF-8 (RFC 7617's {@code charset="UTF-8"}, also named in the challenge); a
     * {@code Basic} value that is not Base64, to which Jetty's answers {@code 500}, counts as no credentials: the
     * challenge.
     */
    private static final class Utf8Basic extends BasicAuthenticator {
        Utf8Basic() {
            setCharset(StandardCharsets.UTF_8);
        }

        @Override
        public AuthenticationState validateRequest(Request request, Response response, Callback callback) throws ServerAuthException {
            try {
                return super.validateRequest(request, response, callback);
            } catch (IllegalArgumentException notBase64) {
                return super.validateRequest(new Request.Wrapper(request) {
                    @Override
                    public HttpFields getHeaders() {
                        return HttpFields.build(super.getHeaders()).remove(HttpHeader.AUTHORIZATION).asImmutable();
                    }
                }, response, callback);
            }
        }
    }

    /** The page behind the authenticator: who signed in (the authenticated user), or the public page. */
    private static final class SignedInPage extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            Principal user = AuthenticationState.getUserPrincipal(request);
            String body = user == null
                    ? "<p id=\"public\">public page</p>\n"
                    : "<p>Signed in to the Basic backend as <span id=\"user\">" + HtmlPages.escape(user.getName())
                    + "</span> (<span id=\"auth\">Basic</span>)</p>\n" + HtmlPages.whoTheAppSees(SignInFacts.of(request));
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
            response.write(true, StandardCharsets.UTF_8.encode("<!DOCTYPE html><title>Basic backend</title>\n" + body), callback);
            return true;
        }
    }

    /** Runs the backend by hand: {@code JettyBasicBackend alice:secret [bob:other ...]}; Ctrl-C stops it. */
    public static void main(String[] args) throws Exception {
        Map<String, String> users = new LinkedHashMap<>();
        for (String a : args) {
            int colon = a.indexOf(':');
            users.put(a.substring(0, colon), a.substring(colon + 1));
        }
        JettyBasicBackend b = start(users);
        System.out.println("Basic backend at " + b.baseUri() + " (users: " + users.keySet() + ")");
        b.server.join();
    }
}
