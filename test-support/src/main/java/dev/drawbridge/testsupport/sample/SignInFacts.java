package dev.drawbridge.testsupport.sample;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Who the sample app sees: the sign-in facts a request carried, for the home page's "Who the app sees" section, so
 * that each single sign-on method's effect is visible in a browser. A fact is a header as it arrived (name spelled as
 * sent, value as is) whose name, in any letter case and with {@code _} or {@code .} for {@code -} (the spellings a
 * CGI gateway maps to one {@code REMOTE_USER}-like variable), is Drawbridge's {@code X-Drawbridge-User}, one of the
 * {@code X-Remote-*} or {@code Remote-*} family, or ends in {@code -User}, {@code -Groups}, {@code -Email} or
 * {@code -Upn} ({@code X-WEBAUTH-USER}, {@code X-Forwarded-User}, ...). Drawbridge's signed assertion and the
 * {@code Authorization} header count too, but only their presence and scheme: their values are credentials and are
 * never shown.
 */
final class SignInFacts {
    /** Shown instead of the signed {@code X-Drawbridge-Assertion}. */
    static final String ASSERTION = "present (a signed token, not shown)";
    private static final Set<String> SCHEMES = Set.of("basic", "bearer", "concealed", "digest", "dpop", "gnap", "hoba", "mutual",
            "negotiate", "ntlm", "oauth", "privatetoken", "scram-sha-1", "scram-sha-256", "vapid", "aws4-hmac-sha256");

    private SignInFacts() {
    }

    /** One fact: the header's name as it arrived and what the page shows of its value. */
    record Fact(String name, String value) {
    }

    /** The request's sign-in facts, in arrival order. */
    static List<Fact> of(Request request) {
        List<Fact> facts = new ArrayList<>();
        for (HttpField field : request.getHeaders()) {
            String name = field.getName();
            String canonical = name.toLowerCase(Locale.ROOT).replace('_', '-').replace('.', '-');
            String value = field.getValue() == null ? "" : field.getValue();
            if (canonical.equals(HttpHeader.AUTHORIZATION.lowerCaseName())) {
                facts.add(new Fact(name, scheme(value)));
            } else if (canonical.equals("x-drawbridge-assertion")) {
                facts.add(new Fact(name, ASSERTION));
            } else if (identifiesTheUser(canonical)) {
                facts.add(new Fact(name, value));
            }
        }
        return List.copyOf(facts);
    }

    private static boolean identifiesTheUser(String canonical) {
        return canonical.equals("x-drawbridge-user") || canonical.startsWith("x-remote-") || canonical.startsWith("remote-")
                || canonical.endsWith("-user") || canonical.endsWith("-groups") || canonical.endsWith("-email")
                || canonical.endsWith("-upn");
    }

    /**
     * "scheme Negotiate (credentials not shown)" for a registered scheme (IANA's HTTP Authentication Scheme Registry, plus
     * NTLM), as the client spelled it; anything else is only "present": a value without a known scheme may be a bare
     * token, and nothing of a credential is shown.
     */
    static String scheme(String authorization) {
        String trimmed = authorization.strip();
        int space = trimmed.indexOf(' ');
        String first = space < 0 ? trimmed : trimmed.substring(0, space);
        return SCHEMES.contains(first.toLowerCase(Locale.ROOT)) ? "scheme " + first + " (credentials not shown)"
                : "present (credentials not shown)";
    }
}
