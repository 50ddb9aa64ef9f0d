package dev.drawbridge.systemtests.identity;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.adminclient.Users;
import dev.drawbridge.model.api.UserView;
import dev.drawbridge.testsupport.identity.KeycloakServer;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.FormRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.Fields;

import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The steps the federation tests take on Keycloak's side, and their look-ups of the users a sign-in made. */
final class KeycloakLoginForm {
    private static final Pattern LOGIN_FORM = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");

    private KeycloakLoginForm() {
    }

    /**
     * Signs in on Keycloak's login form like a browser and returns the callback URL Keycloak redirects to, which must
     * start with {@code callbackPrefix} (the sign-in host's {@code federation/callback?}).
     */
    static String signIn(HttpClient b, String authorize, String user, String callbackPrefix) throws Exception {
        ContentResponse form = b.newRequest(URI.create(authorize)).headers(h -> h.put("Accept", "text/html"))
                .timeout(20, TimeUnit.SECONDS).send();
        assertThat(form.getStatus()).isEqualTo(200);
        Matcher m = LOGIN_FORM.matcher(form.getContentAsString());
        assertThat(m.find()).as("Keycloak's login form").isTrue();
        Fields f = new Fields();
        f.put("username", user);
        f.put("password", KeycloakServer.PASSWORD);
        f.put("credentialId", "");
        // Keycloak marks its cookies Secure even on http://127.0.0.1 (a secure context for browsers, not for Jetty's cookie store).
        String cookies = form.getHeaders().getValuesList("Set-Cookie").stream().map(c -> c.split(";", 2)[0])
                .collect(Collectors.joining("; "));
        ContentResponse posted = b.newRequest(URI.create(m.group(1).replace("&amp;", "&"))).method("POST")
                .headers(h -> h.put("Cookie", cookies)).body(new FormRequestContent(f)).timeout(20, TimeUnit.SECONDS).send();
        assertThat(posted.getStatus()).as(posted.getContentAsString()).isEqualTo(302);
        String callback = posted.getHeaders().get("Location");
        assertThat(callback).startsWith(callbackPrefix);
        return callback;
    }

    static List<UserView> users(AdminApi admin) throws Exception {
        return admin.users().list(Paging.LARGEST, Users.Search.ALL).items();
    }

    /** The one user with this UPN (fails the test when there is none or more than one). */
    static UserView user(AdminApi admin, String upn) throws Exception {
        List<UserView> found = users(admin).stream().filter(u -> u.upn().equals(upn)).toList();
        assertThat(found).as("user " + upn).hasSize(1);
        return found.getFirst();
    }
}
