package dev.drawbridge.cli;

import dev.drawbridge.model.api.BasicSso;
import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.KerberosSso;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * An app's single sign-on settings as the CLI prints them: {@code show}'s view (a table of the headers, one line per
 * setting, every server-supplied text through {@link TerminalText}), the flags that set them again, and {@code set}'s
 * one-line summary.
 */
final class SsoSettingsText {
    private SsoSettingsText() {
    }

    /** The settings as flags for {@code set}, each value quoted for a POSIX shell. */
    static String asFlags(SsoSettings s) {
        if (s.method() == SsoMethod.BASIC) {
            return "--credentials " + (s.basic() == null ? BasicSso.Credentials.USER : s.basic().credentials()).name().toLowerCase(Locale.ROOT);
        }
        if (s.method() == SsoMethod.KERBEROS && s.kerberos() != null) {
            KerberosSso k = s.kerberos();
            return "--spn " + shellQuoted(String.valueOf(k.spn())) + " --login-identity " + AppSsoCommands.spell(k.loginIdentity())
                    + (k.upFront() ? " --up-front" : "");
        }
        return s.headers().stream().filter(Objects::nonNull).map(r -> "--header " + shellQuoted(HeaderRuleSyntax.format(r)))
                .collect(Collectors.joining(" "));
    }

    private static String shellQuoted(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Table mode of {@code show}: the method, its settings (a table of the headers), and the flags that set them again. */
    static String render(SsoSettings s) {
        StringBuilder b = new StringBuilder("method: ").append(s.method()).append('\n');
        if (s.method() == SsoMethod.KERBEROS && s.kerberos() != null) {
            KerberosSso k = s.kerberos();
            return b.append("spn: ").append(TerminalText.oneLine(String.valueOf(k.spn()))).append('\n')
                    .append("login identity: ").append(AppSsoCommands.spell(k.loginIdentity())).append('\n')
                    .append("ticket up front: ").append(k.upFront() ? "yes" : "no").append('\n')
                    .append("as flags: ").append(TerminalText.oneLine(asFlags(s))).append('\n').toString();
        }
        if (s.method() == SsoMethod.BASIC) {
            BasicSso.Credentials c = s.basic() == null ? BasicSso.Credentials.USER : s.basic().credentials();
            return b.append("credentials: ").append(c == BasicSso.Credentials.USER ? "each user's own (stored in My Apps)"
                    : "the app's shared one (apps sso shared-credential set)").append('\n')
                    .append("as flags: ").append(asFlags(s)).append('\n').toString();
        }
        if (s.method() == SsoMethod.SAML) {
            if (s.saml() != null) {
                b.append("sp entity id: ").append(TerminalText.oneLine(String.valueOf(s.saml().spEntityId()))).append('\n')
                        .append("acs url: ").append(TerminalText.oneLine(String.valueOf(s.saml().acsUrl()))).append('\n');
            }
            return b.append("(this CLI does not set SAML yet: use the admin API, PUT /api/v1/apps/{id}/sso)\n").toString();
        }
        if (s.headers().isEmpty()) {
            return b.toString();
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("HEADER", "SOURCE", "CLAIM", "BEFORE @", "LOWER", "PREFIX", "JOIN"));
        for (HeaderRule r : s.headers().stream().filter(Objects::nonNull).toList()) {
            rows.add(List.of(String.valueOf(r.name()), r.source() == null ? "-" : HeaderRuleSyntax.spell(r.source()),
                    r.claim() == null ? "-" : r.claim(), r.beforeAt() ? "yes" : "no",
                    r.lowerCase() ? "yes" : "no", r.prefix() == null ? "-" : quoted(r.prefix()),
                    r.separator() == null ? quoted(HeaderRule.DEFAULT_SEPARATOR) + " (default)" : quoted(r.separator())));
        }
        rows.replaceAll(row -> row.stream().map(TerminalText::oneLine).toList());
        return b.append(Table.rows(rows)).append("as flags: ").append(TerminalText.oneLine(asFlags(s))).append('\n').toString();
    }

    private static String quoted(String s) {
        return "\"" + s + "\"";
    }

    /** What {@code set} says it stored: {@code HEADERS (X-Remote-User, X-Groups)}, {@code KERBEROS (HTTP/intranet.corp.example, ...)}. */
    static String summary(SsoSettings stored) {
        if (stored.method() == SsoMethod.BASIC) {
            return "BASIC (" + (stored.basic() == null ? BasicSso.Credentials.USER : stored.basic().credentials()).name().toLowerCase(Locale.ROOT)
                    + " credentials)";
        }
        if (stored.method() == SsoMethod.KERBEROS && stored.kerberos() != null) {
            KerberosSso k = stored.kerberos();
            return "KERBEROS (" + k.spn() + ", login identity " + AppSsoCommands.spell(k.loginIdentity()) + (k.upFront() ? ", ticket up front" : "") + ")";
        }
        return stored.method() + (stored.headers().isEmpty() ? ""
                : " (" + stored.headers().stream().filter(Objects::nonNull).map(HeaderRule::name).collect(Collectors.joining(", ")) + ")");
    }
}
