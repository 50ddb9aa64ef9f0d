package dev.drawbridge.model.api.validation;

import dev.drawbridge.model.api.FormsSso;
import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.KerberosSso;
import dev.drawbridge.model.api.Problem.FieldError;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.http.HeaderNames;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An app's single sign-on settings, as far as they can be checked without the server (which also requires the app to
 * be pre-authenticated). Header names are RFC 9110 tokens, unique in every {@linkplain HeaderNames#canonical spelling},
 * and none a header the proxy, the connector or HTTP itself owns: a rule may not replace the request's framing, host,
 * cookies, credentials or Drawbridge's own forwarding and assertion headers. The settings of method SAML are
 * {@link SamlRules}'.
 */
public final class SsoRules {
    /** The most headers one app may set. */
    public static final int MAX_HEADERS = 20;
    /** The longest header name, claim name and prefix. */
    public static final int MAX_NAME = 100;
    /** The longest separator. */
    public static final int MAX_SEPARATOR = 10;
    /** The longest vaulted user name (password vaulting, HTTP Basic). */
    public static final int MAX_USERNAME = 256;
    /** The longest vaulted password. */
    public static final int MAX_PASSWORD = 1024;

    /** The longest login path of a login form (password vaulting, forms). */
    public static final int MAX_LOGIN_PATH = 512;
    /** A login path: RFC 3986 path characters (percent-encoded octets allowed), no query or fragment. */
    private static final Pattern LOGIN_PATH = Pattern.compile("(/([A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})*)+");

    /** A service principal name as an app's backend has one: {@code service/host} with an optional {@code @REALM}. */
    private static final Pattern SPN =
            Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,30}/[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?(@[A-Za-z0-9._-]{1,200})?");

    /** Reserved names, canonical. */
    private static final Set<String> RESERVED = Set.of("host", "cookie", "authorization", "proxy-authorization",
            "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "expect",
            "http2-settings", "forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port",
            "x-forwarded-prefix", "origin", "referer");
    /** Reserved families, canonical prefixes. */
    private static final List<String> RESERVED_PREFIXES = List.of("x-drawbridge-", "content-", "sec-", "proxy-", "if-");

    private SsoRules() {
    }

    /** Why {@code name} cannot be a single sign-on header; empty when it can. */
    public static Optional<String> headerNameProblem(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME || !HeaderNames.isToken(name)) {
            return Optional.of("a header name is 1 to " + MAX_NAME + " letters, digits and !#$%&'*+-.^_`|~, e.g. X-Remote-User");
        }
        String c = HeaderNames.canonical(name);
        if (RESERVED.contains(c) || RESERVED_PREFIXES.stream().anyMatch(c::startsWith)) {
            return Optional.of("'" + name + "' is reserved (host, cookies, credentials, framing, Content-*, Sec-*, If-*, "
                    + "forwarding and X-Drawbridge-* headers are set by HTTP or by Drawbridge): choose another name");
        }
        return Optional.empty();
    }

    /** Every problem, each naming its field ({@code headers[i].name}, ...); empty when these rules hold. */
    public static List<FieldError> check(SsoSettings in) {
        List<FieldError> errors = new ArrayList<>();
        List<HeaderRule> rules = in.headers();
        if (in.kerberos() != null && in.method() != SsoMethod.KERBEROS) {
            errors.add(new FieldError("kerberos", "kerberos settings are given only with method KERBEROS"));
        }
        if (in.saml() != null && in.method() != SsoMethod.SAML) {
            errors.add(new FieldError("saml", "saml settings are given only with method SAML"));
        }
        if (in.basic() != null && in.method() != SsoMethod.BASIC) {
            errors.add(new FieldError("basic", "basic settings are given only with method BASIC"));
        }
        if (in.forms() != null && in.method() != SsoMethod.FORMS) {
            errors.add(new FieldError("forms", "forms settings are given only with method FORMS"));
        }
        if (in.method() == SsoMethod.KERBEROS) {
            checkKerberos(in.kerberos(), errors);
        }
        if (in.method() == SsoMethod.SAML) {
            SamlRules.check(in.saml(), errors);
        }
        if (in.method() == SsoMethod.FORMS) {
            checkForms(in.forms(), errors);
        }
        if (in.method() != SsoMethod.HEADERS) {
            if (!rules.isEmpty()) {
                errors.add(new FieldError("headers", "headers are set only with method HEADERS"));
            }
            return errors;
        }
        if (rules.isEmpty() || rules.size() > MAX_HEADERS) {
            errors.add(new FieldError("headers", "method HEADERS needs 1 to " + MAX_HEADERS + " headers"));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            String field = "headers[" + i + "]";
            HeaderRule r = rules.get(i);
            if (r == null) {
                errors.add(new FieldError(field, field + " is missing"));
                continue;
            }
            headerNameProblem(r.name()).ifPresent(p -> errors.add(new FieldError(field + ".name", p)));
            if (r.name() != null && !seen.add(HeaderNames.canonical(r.name()))) {
                errors.add(new FieldError(field + ".name", "header '" + r.name()
                        + "' is listed twice (names are compared in any case, with _ and . read as -)"));
            }
            if (r.source() == null) {
                errors.add(new FieldError(field + ".source", "source is required: one of " + List.of(HeaderSource.values())));
            } else if (r.source() == HeaderSource.CLAIM) {
                if (r.claim() == null || r.claim().isBlank() || r.claim().length() > MAX_NAME || hasControl(r.claim())) {
                    errors.add(new FieldError(field + ".claim", "source CLAIM needs the claim's name (1 to " + MAX_NAME
                            + " characters), e.g. department"));
                }
            } else if (r.claim() != null) {
                errors.add(new FieldError(field + ".claim", "claim is given only with source CLAIM"));
            }
            if (r.prefix() != null && (r.prefix().length() > MAX_NAME || hasControl(r.prefix()))) {
                errors.add(new FieldError(field + ".prefix", "prefix is at most " + MAX_NAME + " characters, none a control character"));
            }
            if (r.separator() != null && (r.separator().isEmpty() || r.separator().length() > MAX_SEPARATOR
                    || hasControl(r.separator()))) {
                errors.add(new FieldError(field + ".separator", "separator is 1 to " + MAX_SEPARATOR
                        + " characters, none a control character (absent: \", \")"));
            }
        }
        return errors;
    }

    private static void checkKerberos(KerberosSso k, List<FieldError> errors) {
        if (k == null) {
            errors.add(new FieldError("kerberos", "method KERBEROS needs kerberos settings: the backend's spn"));
            return;
        }
        if (k.spn() == null || !SPN.matcher(k.spn()).matches() || !portInRange(k.spn())) {
            errors.add(new FieldError("kerberos.spn", "spn is the backend's service principal name, service/host[@REALM], "
                    + "e.g. HTTP/intranet.corp.example"));
        }
    }

    /** The SPN's port, when it names one, is 1 to 65535. */
    private static boolean portInRange(String spn) {
        String hostPart = spn.substring(spn.indexOf('/') + 1).split("@", 2)[0];
        int colon = hostPart.indexOf(':');
        if (colon < 0) {
            return true;
        }
        int port = Integer.parseInt(hostPart.substring(colon + 1));
        return port >= 1 && port <= 65_535;
    }

    private static void checkForms(FormsSso f, List<FieldError> errors) {
        if (f == null) {
            errors.add(new FieldError("forms", "method FORMS needs forms settings: the backend's loginPath, e.g. /login"));
            return;
        }
        String p = f.loginPath();
        if (p == null || p.isEmpty() || p.length() > MAX_LOGIN_PATH || p.charAt(0) != '/' || p.startsWith("//")
                || !LOGIN_PATH.matcher(p).matches() || p.contains("/../") || p.endsWith("/..") || p.contains("/./")) {
            errors.add(new FieldError("forms.loginPath", "loginPath is the login form's path on the backend (1 to "
                    + MAX_LOGIN_PATH + " characters, starting with a single /, no query, no . or .. segments), e.g. /login"));
        }
        checkField("forms.usernameField", f.usernameField(), errors);
        checkField("forms.passwordField", f.passwordField(), errors);
        if (f.usernameField() != null && f.usernameField().equals(f.passwordField())) {
            errors.add(new FieldError("forms.passwordField", "the password field cannot have the user-name field's name"));
        }
    }

    private static void checkField(String field, String name, List<FieldError> errors) {
        if (name != null && (name.length() > MAX_NAME || hasControl(name) || name.isBlank())) {
            errors.add(new FieldError(field, "a form field's name is 1 to " + MAX_NAME
                    + " characters without control characters (absent: detected from the form)"));
        }
    }

    /**
     * Every problem of a user name and password for HTTP Basic (RFC 7617), each naming its field ({@code username},
     * {@code password}); empty when they can be sent. Neither may hold a control character (C0, DEL, C1, the Unicode
     * line and paragraph separators) or half of a surrogate pair (they are sent as UTF-8); the user name no {@code :},
     * which ends it on the wire. The messages never repeat the password.
     */
    public static List<FieldError> checkCredential(String username, String password) {
        List<FieldError> errors = new ArrayList<>();
        if (username == null || username.isEmpty() || username.length() > MAX_USERNAME || !sendable(username)
                || username.indexOf(':') >= 0) {
            errors.add(new FieldError("username", "the user name is 1 to " + MAX_USERNAME
                    + " characters, without ':' (HTTP Basic ends the user name there) and without control characters"));
        }
        if (password == null || password.isEmpty() || password.length() > MAX_PASSWORD || !sendable(password)) {
            errors.add(new FieldError("password", "the password is 1 to " + MAX_PASSWORD + " characters, without control characters"));
        }
        return errors;
    }

    /** Whether every character is a whole Unicode code point that is not a control or line-breaking character. */
    private static boolean sendable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isISOControl(ch) || ch == '\u2028' || ch == '\u2029') {
                return false;
            }
            if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(ch)) {
                return false;
            }
        }
        return true;
    }

    static boolean hasControl(String s) {
        return s.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f);
    }
}
