package dev.drawbridge.proxy.signin;

import dev.drawbridge.proxy.apps.AppIcons;
import dev.drawbridge.proxy.web.Responses;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * {@code /icons/<app id>} on the sign-in host: an app's icon, for signed-in users. My Apps links each
 * version under its own URL ({@code ?v=<hash>}), so it may be cached privately for a year; the ETag
 * (the hash) answers revalidations with 304. Never sniffed, and SVG goes out under a policy that
 * keeps any script inside from running even when the icon is opened on the sign-in host's origin.
 */
final class IconResource {
    static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

    private IconResource() {
    }

    static void serve(AppIcons icons, Request request, Response response, Callback callback, String appId, boolean signedIn) {
        if (!signedIn) {
            response.getHeaders().put("WWW-Authenticate", "Form realm=\"drawbridge\"");
            Responses.problem(response, callback, 401, "Unauthorized", "sign in to see app icons");
            return;
        }
        Optional<AppIcons.Icon> icon = appId.length() > 36 ? Optional.empty() : icons.find(appId);
        if (icon.isEmpty()) {
            Responses.problem(response, callback, 404, "Not found", "this app has no icon");
            return;
        }
        String etag = "\"" + icon.get().sha256() + "\"";
        response.getHeaders().put("ETag", etag);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("Content-Security-Policy", CSP);
        response.getHeaders().put("Cache-Control", "private, max-age=31536000, immutable");
        response.getHeaders().put(Responses.GENERATED_HEADER, "true");
        String inm = request.getHeaders().get("If-None-Match");
        if (inm != null && Arrays.stream(inm.split(",")).map(String::strip).anyMatch(t -> t.equals(etag) || t.equals("W/" + etag))) {
            response.setStatus(304);
            callback.succeeded();
            return;
        }
        byte[] body = icon.get().body();
        response.setStatus(200);
        response.getHeaders().put("Content-Type", icon.get().contentType());
        response.getHeaders().put("Content-Length", body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
