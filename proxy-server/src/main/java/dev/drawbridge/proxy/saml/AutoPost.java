package dev.drawbridge.proxy.saml;

import dev.drawbridge.proxy.pki.ServerKeys;
import dev.drawbridge.proxy.web.Responses;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import static dev.drawbridge.proxy.web.Responses.escape;

/**
 * The page that carries a SAML response to the service provider (HTTP-POST binding, SAML bindings 3.5): a form to the
 * app's ACS URL that a one-line script submits (a button without scripts). Its Content-Security-Policy lets the form go
 * to the ACS URL's origin only and runs no script but that one line (by its hash); it cannot be framed; its referrer
 * policy sends the sign-in host's origin and nothing more, so the app host can tell the POST came from here
 * ({@code preauth.AcsSignIn}).
 */
final class AutoPost {
    /** The only script the page runs. */
    static final String SCRIPT = "document.forms[0].submit();";
    static final String SCRIPT_HASH = "'sha256-" + Base64.getEncoder().encodeToString(ServerKeys.sha256(SCRIPT)) + "'";

    private AutoPost() {
    }

    /** Writes the page posting {@code samlResponse} (base64) and {@code relayState} to {@code acsUrl}. */
    static void write(Response response, Callback callback, String acsUrl, String appName, String samlResponse, Optional<String> relayState) {
        URI acs = URI.create(acsUrl);
        String html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">"
                + "<title>Signing in to " + escape(appName) + " · Drawbridge</title></head><body>"
                + "<form method=\"post\" action=\"" + escape(acsUrl) + "\">"
                + "<input type=\"hidden\" name=\"SAMLResponse\" value=\"" + escape(samlResponse) + "\">"
                + relayState.map(r -> "<input type=\"hidden\" name=\"RelayState\" value=\"" + escape(r) + "\">").orElse("")
                + "<noscript><p>Signing you in to " + escape(appName) + ".</p><button type=\"submit\" id=\"continue\">Continue</button></noscript>"
                + "</form><script>" + SCRIPT + "</script></body></html>";
        response.getHeaders().put("Content-Security-Policy", "default-src 'none'; script-src " + SCRIPT_HASH + "; form-action "
                + acs.getScheme() + "://" + acs.getRawAuthority() + "; frame-ancestors 'none'; base-uri 'none'");
        response.getHeaders().put("X-Frame-Options", "DENY");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("Referrer-Policy", "strict-origin");
        Responses.write(response, callback, 200, "text/html;charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }
}
