package dev.drawbridge.proxy.dispatch;

import dev.drawbridge.model.http.HopByHop;
import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.signin.Cookies;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Rewrites an internal app's response headers for the outside: hop-by-hop headers dropped,
 * {@code Location}/{@code Content-Location} pointing at the internal URL moved to the external
 * URL, and {@code Set-Cookie} domains and paths translated likewise (an instance of a wildcard app may set no other
 * domain: its cookies stay host-only); an app's {@code Set-Cookie} for one of Drawbridge's own cookies is dropped.
 */
public final class ResponseRewriter {
    private final PublishedApp app;
    private final String internalBase;
    private final String internalBaseAlt;
    private final String externalBase;

    public ResponseRewriter(PublishedApp app) {
        this.app = app;
        URI in = app.internalUrl();
        String scheme = in.getScheme().toLowerCase(Locale.ROOT);
        String host = in.getHost().toLowerCase(Locale.ROOT);
        int port = in.getPort();
        int defaultPort = scheme.equals("https") ? 443 : 80;
        // The same internal base with and without its default port, e.g. http://intranet and http://intranet:80.
        this.internalBase = scheme + "://" + host + (port == -1 ? "" : ":" + port) + app.internalPath();
        this.internalBaseAlt = port == -1 ? scheme + "://" + host + ":" + defaultPort + app.internalPath()
                : port == defaultPort ? scheme + "://" + host + app.internalPath() : internalBase;
        URI ex = app.externalUrl();
        this.externalBase = ex.getScheme() + "://" + ex.getRawAuthority() + app.externalPath();
    }

    public List<HeaderField> rewrite(List<HeaderField> headers) {
        List<HeaderField> out = new ArrayList<>(headers.size());
        for (HeaderField h : HopByHop.strip(headers)) {
            String n = h.name().toLowerCase(Locale.ROOT);
            switch (n) {
                case "location", "content-location" -> out.add(new HeaderField(h.name(), rewriteUrl(h.value())));
                case "set-cookie" -> {
                    // An app may not set Drawbridge's own cookies (a planted sign-in nonce or session cookie), nameless or not.
                    if (!Cookies.isReserved(cookieName(h.value()))) {
                        out.add(new HeaderField(h.name(), rewriteCookie(h.value())));
                    }
                }
                default -> out.add(h);
            }
        }
        return out;
    }

    /**
     * The name a browser files a Set-Cookie under. A nameless cookie ({@code =x=y}, empty name) is sent back as
     * {@code x=y}, which a server reads as the cookie {@code x}: its value's name is what counts.
     */
    static String cookieName(String setCookie) {
        int semicolon = setCookie.indexOf(';');
        String pair = semicolon < 0 ? setCookie : setCookie.substring(0, semicolon);
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        if (eq >= 0 && name.isBlank()) {
            String value = pair.substring(eq + 1).strip();
            int inner = value.indexOf('=');
            name = inner < 0 ? value : value.substring(0, inner);
        }
        return name;
    }

    /** Internal absolute URL → external URL; anything else unchanged. */
    public String rewriteUrl(String url) {
        for (String base : new String[]{internalBase, internalBaseAlt}) {
            if (url.length() >= base.length() && url.regionMatches(true, 0, base, 0, base.length())) {
                return externalBase + url.substring(base.length());
            }
            String bare = base.substring(0, base.length() - 1);
            if (url.equalsIgnoreCase(bare)) {
                return externalBase;
            }
        }
        return url;
    }

    String rewriteCookie(String cookie) {
        String[] parts = cookie.split(";");
        StringBuilder b = new StringBuilder(parts[0]);
        String internalHost = app.internalUrl().getHost();
        for (int i = 1; i < parts.length; i++) {
            String attr = parts[i].trim();
            int eq = attr.indexOf('=');
            String name = (eq < 0 ? attr : attr.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : attr.substring(eq + 1).trim();
            if (name.equals("domain")) {
                String d = value.startsWith(".") ? value.substring(1) : value;
                if (d.equalsIgnoreCase(internalHost)) {
                    attr = "Domain=" + app.externalHost();
                } else if (!app.wildcardLabel().isEmpty()) {
                    // A wildcard app reaches whatever internal host a label names: none of them may set a cookie for a
                    // parent domain, where it would reach the sibling hosts and other apps (cookie tossing). Host-only.
                    continue;
                }
            } else if (name.equals("path") && !app.internalPath().equals(app.externalPath())) {
                String in = app.internalPath();
                if (value.startsWith(in)) {
                    attr = "Path=" + app.externalPath() + value.substring(in.length());
                } else if (in.length() > 1 && value.equals(in.substring(0, in.length() - 1))) {
                    String ex = app.externalPath();
                    attr = "Path=" + (ex.length() > 1 ? ex.substring(0, ex.length() - 1) : ex);
                }
            }
            b.append("; ").append(attr);
        }
        return b.toString();
    }
}
