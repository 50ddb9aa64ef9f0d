package dev.drawbridge.cli;

import dev.drawbridge.model.api.BasicSso;
import dev.drawbridge.model.api.FormsSso;
import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.KerberosSso;
import dev.drawbridge.model.api.SamlAttribute;
import dev.drawbridge.model.api.SamlSso;
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
            return "--credentials " + whose(s);
        }
        if (s.method() == SsoMethod.FORMS && s.forms() != null) {
            FormsSso f = s.forms();
            return "--login-path " + shellQuoted(String.valueOf(f.loginPath()))
                    + f.username().map(u -> " --username-field " + shellQuoted(u)).orElse("")
                    + f.password().map(p -> " --password-field " + shellQuoted(p)).orElse("") + " --credentials " + whose(s);
        }
        if (s.method() == SsoMethod.SAML && s.saml() != null) {
            return samlFlags(s.saml());
        }
        if (s.method() == SsoMethod.KERBEROS && s.kerberos() != null) {
            KerberosSso k = s.kerberos();
            return "--spn " + shellQuoted(String.valueOf(k.spn())) + " --login-identity " + AppSsoCommands.spell(k.loginIdentity())
                    + (k.upFront() ? " --up-front" : "");
        }
        return s.headers().stream().filter(Objects::nonNull).map(r -> "--header " + shellQuoted(HeaderRuleSyntax.format(r)))
                .collect(Collectors.joining(" "));
    }

    /** SAML's flags, but the service provider's part (which comes from its metadata, or stays as stored). */
    private static String samlFlags(SamlSso m) {
        StringBuilder b = new StringBuilder("--method saml --name-id-format ").append(SamlFlags.spell(m.nameIdFormat()));
        if (m.nameIdSource() != null) {
            b.append(" --name-id-source ").append(HeaderRuleSyntax.spell(m.nameIdSource()));
        }
        if (m.nameIdClaim() != null) {
            b.append(" --name-id-claim ").append(shellQuoted(m.nameIdClaim()));
        }
        List<String> attributes = m.attributes().stream().filter(Objects::nonNull).map(a -> "--attribute "
                + shellQuoted(SamlAttributeSyntax.format(a))).toList();
        b.append(attributes.isEmpty() ? " --no-attributes" : " " + String.join(" ", attributes));
        b.append(" --signing ").append(SamlFlags.spell(m.signing()));
        if (m.relayState() != null) {
            b.append(" --relay-state ").append(shellQuoted(m.relayState()));
        }
        return b.toString();
    }

    private static String whose(SsoSettings s) {
        return s.vaultCredentials().orElse(BasicSso.Credentials.USER).name().toLowerCase(Locale.ROOT);
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
        if (s.method() == SsoMethod.BASIC || s.method() == SsoMethod.FORMS) {
            if (s.method() == SsoMethod.FORMS && s.forms() != null) {
                FormsSso f = s.forms();
                b.append("login path: ").append(TerminalText.oneLine(String.valueOf(f.loginPath()))).append('\n')
                        .append("user-name field: ").append(f.username().map(TerminalText::oneLine).orElse("(detected from the form)"))
                        .append('\n')
                        .append("password field: ").append(f.password().map(TerminalText::oneLine).orElse("(detected from the form)"))
                        .append('\n');
            }
            return b.append("credentials: ").append(s.vaultCredentials().orElse(BasicSso.Credentials.USER) == BasicSso.Credentials.USER
                            ? "each user's own (stored in My Apps)" : "the app's shared one (apps sso shared-credential set)").append('\n')
                    .append("as flags: ").append(TerminalText.oneLine(asFlags(s))).append('\n').toString();
        }
        if (s.method() == SsoMethod.SAML) {
            return s.saml() == null ? b.toString() : b.append(renderSaml(s.saml())).append("as flags: ")
                    .append(TerminalText.oneLine(asFlags(s))).append(" (and --sp-metadata FILE on an app without SAML settings)\n")
                    .toString();
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

    /** SAML's settings, one per line, then the attributes' table. */
    private static String renderSaml(SamlSso m) {
        StringBuilder b = new StringBuilder()
                .append("sp entity id: ").append(TerminalText.oneLine(String.valueOf(m.spEntityId()))).append('\n')
                .append("acs url: ").append(TerminalText.oneLine(String.valueOf(m.acsUrl()))).append('\n')
                .append("sp certificate: ").append(m.spCertificate() == null ? "none (requests are not signed)"
                        : "set (every request must be signed with it)").append('\n')
                .append("name id: ").append(SamlFlags.spell(m.nameIdFormat())).append(m.nameIdSource() == null
                        ? " (a random id at each sign-in)" : ", from " + HeaderRuleSyntax.spell(m.nameIdSource())
                        + (m.nameIdClaim() == null ? "" : " " + TerminalText.oneLine(m.nameIdClaim()))).append('\n')
                .append("signing: ").append(SamlFlags.spell(m.signing())).append('\n')
                .append("relay state: ").append(m.relayState() == null ? "-" : TerminalText.oneLine(m.relayState())).append('\n');
        if (m.attributes().isEmpty()) {
            return b.append("attributes: none\n").toString();
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("ATTRIBUTE", "SOURCE", "CLAIM", "NAME FORMAT"));
        for (SamlAttribute a : m.attributes().stream().filter(Objects::nonNull).toList()) {
            rows.add(List.of(String.valueOf(a.name()), a.source() == null ? "-" : HeaderRuleSyntax.spell(a.source()),
                    a.claim() == null ? "-" : a.claim(), a.nameFormat() == SamlAttribute.NameFormat.UNSPECIFIED ? "-"
                            : SamlFlags.spell(a.nameFormat())));
        }
        rows.replaceAll(row -> row.stream().map(TerminalText::oneLine).toList());
        return b.append(Table.rows(rows)).toString();
    }

    private static String quoted(String s) {
        return "\"" + s + "\"";
    }

    /** What {@code set} says it stored: {@code HEADERS (X-Remote-User, X-Groups)}, {@code KERBEROS (HTTP/intranet.corp.example, ...)}. */
    static String summary(SsoSettings stored) {
        if (stored.method() == SsoMethod.BASIC) {
            return "BASIC (" + whose(stored) + " credentials)";
        }
        if (stored.method() == SsoMethod.FORMS && stored.forms() != null) {
            return "FORMS (login form at " + stored.forms().loginPath() + ", " + whose(stored) + " credentials)";
        }
        if (stored.method() == SsoMethod.SAML && stored.saml() != null) {
            return "SAML (service provider " + stored.saml().spEntityId() + ", NameID " + SamlFlags.spell(stored.saml().nameIdFormat())
                    + ", " + stored.saml().attributes().size() + " attribute" + (stored.saml().attributes().size() == 1 ? "" : "s") + ")";
        }
        if (stored.method() == SsoMethod.KERBEROS && stored.kerberos() != null) {
            KerberosSso k = stored.kerberos();
            return "KERBEROS (" + k.spn() + ", login identity " + AppSsoCommands.spell(k.loginIdentity()) + (k.upFront() ? ", ticket up front" : "") + ")";
        }
        return stored.method() + (stored.headers().isEmpty() ? ""
                : " (" + stored.headers().stream().filter(Objects::nonNull).map(HeaderRule::name).collect(Collectors.joining(", ")) + ")");
    }
}
