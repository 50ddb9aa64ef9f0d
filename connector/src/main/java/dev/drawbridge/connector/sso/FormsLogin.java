package dev.drawbridge.connector.sso;

import dev.drawbridge.connector.upstream.ResponseInterceptor;
import dev.drawbridge.model.api.FormsSso;
import dev.drawbridge.model.http.HeaderNames;
import dev.drawbridge.model.http.HopByHop;
import dev.drawbridge.model.sso.SsoInstruction.Credential;
import dev.drawbridge.model.sso.SsoWire;
import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.ResetCode;
import dev.drawbridge.model.tunnel.ResponseHead;
import dev.drawbridge.model.tunnel.TunnelStream;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Response;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Password vaulting for login forms, on the connector: when the app answers a stream with its login form (its login
 * path answered a GET with an HTML page holding a password field, or it redirected to its login path on its own
 * origin), the connector reads the form ({@link LoginForm}), posts the stored user name and password to the app's own
 * internal origin with the cookies of this exchange (the browser's, and those the app set meanwhile), and the browser
 * gets the app's answer to that post (its cookies, its redirect) instead of the form. The password is posted at most
 * once per stream. When the app shows its login form again after the post, the browser never sees it: the proxy gets
 * {@link SsoWire#FORMS_REFUSED_HEADER} and sends the user to My Apps. An answer that repeats the password is not relayed.
 */
final class FormsLogin implements ResponseInterceptor {
    /** The largest login page read. */
    static final int MAX_PAGE = 256 * 1024;
    /** The largest answer to the post relayed (it is checked for the password, so it is read whole). */
    static final int MAX_ANSWER = 1024 * 1024;
    /** Request headers not copied to the connector's own requests (canonical names). */
    private static final Set<String> NOT_COPIED = Set.of("cookie", "content-type", "content-length", "transfer-encoding",
            "expect", "origin", "referer", "range", "if-range", "if-match", "if-none-match", "if-modified-since",
            "if-unmodified-since", "accept-encoding", "accept", canonical(SsoWire.FORMS_REFUSED_HEADER));

    private final FormsSso settings;
    private final Credential credential;

    FormsLogin(FormsSso settings, Credential credential) {
        this.settings = settings;
        this.credential = credential;
    }

    @Override
    public boolean intercept(HttpClient http, TunnelStream stream, RequestHead head, Response response, Supplier<InputStream> body)
            throws IOException {
        URI requested = URI.create(head.upstreamUri());
        FormsExchange ex = new FormsExchange(http, head);
        Optional<URI> redirect = loginRedirect(requested, response);
        Fetched page;
        if (redirect.isPresent()) {
            // The redirect's own body is never read: the exchange aborts it once this step has answered.
            ex.cookies().take(headers(response));
            page = ex.get(redirect.get());
            if (page.status() != 200 || !page.html()) {
                stream.sendWhole(answer(page, ex.cookies().setCookies()), page.body());
                return true;
            }
        } else if (isLoginPage(head, requested, response)) {
            byte[] prefix;
            try (InputStream in = body.get()) {
                prefix = in.readNBytes(MAX_PAGE + 1);
                if (prefix.length > MAX_PAGE) {
                    relayLarge(stream, response, prefix, in);
                    return true;
                }
            }
            page = new Fetched(requested, response.getStatus(), headers(response), prefix);
        } else {
            return false;
        }
        LoginForm.Reading reading = LoginForm.read(page.text(), page.url(), settings);
        switch (reading) {
            case LoginForm.Reading.NotAForm n -> {
                stream.sendWhole(answer(page, ex.cookies().setCookies()), page.body());
                return true;
            }
            case LoginForm.Reading.Unusable u -> {
                refuse(stream, u.reason());
                return true;
            }
            case LoginForm.Reading.Found f -> {
                return submit(ex, stream, f.form(), origin(requested));
            }
        }
    }

    private boolean submit(FormsExchange ex, TunnelStream stream, LoginForm form, URI origin) throws IOException {
        LoginForm.Submission submission = form.submission(origin, credential.username(), credential.password());
        if (!(submission instanceof LoginForm.Submission.Post post)) {
            refuse(stream, ((LoginForm.Submission.Refused) submission).reason());
            return true;
        }
        Fetched answer = ex.post(post);
        if (answer.truncated()) {
            refuse(stream, "the app's answer to its login form is larger than " + MAX_ANSWER / 1024 + " KiB");
            return true;
        }
        boolean formAgain = loginRedirect(post.url(), answer.status(), answer.location()).isPresent()
                || answer.status() == 200 && answer.html()
                && LoginForm.read(answer.text(), answer.url(), settings) instanceof LoginForm.Reading.Found;
        if (formAgain) {
            byte[] text = "the app refused the stored user name and password".getBytes(StandardCharsets.UTF_8);
            stream.sendWhole(new ResponseHead(401, List.of(new HeaderField(SsoWire.FORMS_REFUSED_HEADER, "password"),
                    new HeaderField("Content-Type", "text/plain; charset=utf-8"),
                    new HeaderField("Content-Length", String.valueOf(text.length)))), text);
            return true;
        }
        if (Reflection.repeats(answer, credential.password())) {
            refuse(stream, "the app's answer to its login form repeats the password; it is not shown");
            return true;
        }
        stream.sendWhole(answer(answer, ex.cookies().setCookies()), answer.body());
        return true;
    }

    @Override
    public ResponseHead filter(ResponseHead head) {
        return new ResponseHead(head.status(), head.headers().stream()
                .filter(h -> !canonical(h.name()).equals(canonical(SsoWire.FORMS_REFUSED_HEADER))).toList());
    }

    private static void refuse(TunnelStream stream, String reason) {
        stream.reset(ResetCode.SSO_REFUSED, "single sign-on refused: " + reason);
    }

    /** {@code fetched}'s head with every cookie the app set during this step, its own length and no marker header. */
    private ResponseHead answer(Fetched fetched, List<String> setCookies) {
        List<HeaderField> out = new ArrayList<>();
        for (HeaderField h : fetched.headers()) {
            String c = canonical(h.name());
            if (!c.equals("set-cookie") && !c.equals("content-length") && !c.equals("transfer-encoding")
                    && !c.equals(canonical(SsoWire.FORMS_REFUSED_HEADER))) {
                out.add(h);
            }
        }
        setCookies.forEach(v -> out.add(new HeaderField("Set-Cookie", v)));
        out.add(new HeaderField("Content-Length", String.valueOf(fetched.body().length)));
        return new ResponseHead(fetched.status(), HopByHop.strip(out));
    }

    /** A login page larger than {@link #MAX_PAGE}: the app's own, relayed as it is. */
    private ResponseHead relayHead(Response response) {
        return filter(new ResponseHead(response.getStatus(), headers(response)));
    }

    private void relayLarge(TunnelStream stream, Response response, byte[] prefix, InputStream rest) throws IOException {
        stream.sendHead(relayHead(response));
        stream.write(prefix, 0, prefix.length);
        byte[] buf = new byte[16 * 1024];
        int n;
        while ((n = rest.read(buf)) >= 0) {
            stream.write(buf, 0, n);
        }
        stream.endOutput();
    }

    /** The login path's URL when {@code response} redirects there on {@code base}'s origin. */
    Optional<URI> loginRedirect(URI base, Response response) {
        return loginRedirect(base, response.getStatus(), Optional.ofNullable(response.getHeaders().get("Location")));
    }

    Optional<URI> loginRedirect(URI base, int status, Optional<String> location) {
        if (!Set.of(301, 302, 303, 307, 308).contains(status) || location.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI target = base.resolve(location.get().trim());
            return LoginForm.sameOrigin(target, base) && settings.loginPath().equals(target.getRawPath())
                    ? Optional.of(target) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A GET of the login path answered with an HTML page. */
    private boolean isLoginPage(RequestHead head, URI requested, Response response) {
        String type = Optional.ofNullable(response.getHeaders().get("Content-Type")).orElse("").toLowerCase(Locale.ROOT);
        String encoding = Optional.ofNullable(response.getHeaders().get("Content-Encoding")).orElse("identity");
        return head.method().equals("GET") && response.getStatus() == 200 && type.startsWith("text/html")
                && encoding.equalsIgnoreCase("identity") && settings.loginPath().equals(requested.getRawPath());
    }

    static List<HeaderField> headers(Response response) {
        List<HeaderField> out = new ArrayList<>();
        response.getHeaders().forEach(f -> out.add(new HeaderField(f.getName(), f.getValue())));
        return out;
    }

    static URI origin(URI u) {
        return URI.create(u.getScheme() + "://" + u.getRawAuthority() + "/");
    }

    static String canonical(String name) {
        return HeaderNames.canonical(name);
    }

    /** The request headers copied to the connector's own requests of this step. */
    static List<HeaderField> copied(RequestHead head) {
        return HopByHop.strip(head.headers()).stream().filter(h -> !NOT_COPIED.contains(canonical(h.name()))).toList();
    }
}
