package dev.drawbridge.cli;

import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.SamlAttribute;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One attribute of a SAML assertion as {@code drawbridge apps sso set --attribute} spells it:
 * {@code NAME=SOURCE[;claim=NAME][;format=basic|uri]}, e.g. {@code email=email}, {@code groups=groups},
 * {@code department=claim;claim=department;format=basic},
 * {@code http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn=upn;format=uri}. SOURCE is spelt as in
 * {@link HeaderRuleSyntax} ({@code upn}, {@code object-id}, ...); the name ends at the last {@code =} before the first
 * unescaped {@code ;}; in a value {@code \;} is a {@code ;} and {@code \\} a {@code \}. Whether the result is acceptable
 * is {@link dev.drawbridge.model.api.validation.SamlRules}' to say.
 */
final class SamlAttributeSyntax {
    static final String SYNTAX = "NAME=SOURCE[;claim=NAME][;format=basic|uri]";

    private SamlAttributeSyntax() {
    }

    static SamlAttribute parse(String spec) throws HeaderRuleSyntax.SyntaxException {
        List<String> parts = HeaderRuleSyntax.split(spec);
        String head = parts.getFirst();
        int eq = head.lastIndexOf('=');
        if (eq < 0) {
            throw new HeaderRuleSyntax.SyntaxException("an attribute is NAME=SOURCE, e.g. email=email");
        }
        String name = HeaderRuleSyntax.unescape(head.substring(0, eq)).strip();
        if (name.isEmpty()) {
            throw new HeaderRuleSyntax.SyntaxException("no attribute name before '='");
        }
        HeaderSource source = HeaderRuleSyntax.source(head.substring(eq + 1).strip());
        String claim = null;
        SamlAttribute.NameFormat format = null;
        Set<String> seen = new HashSet<>();
        for (String part : parts.subList(1, parts.size())) {
            int at = part.indexOf('=');
            String key = (at < 0 ? part : part.substring(0, at)).strip().toLowerCase(Locale.ROOT);
            String value = at < 0 ? null : HeaderRuleSyntax.unescape(part.substring(at + 1));
            if (key.isEmpty()) {
                throw new HeaderRuleSyntax.SyntaxException("an empty option (two ';' in a row?); write a ';' in a value as \\;");
            }
            if (!seen.add(key)) {
                throw new HeaderRuleSyntax.SyntaxException("option '" + key + "' is given twice");
            }
            if (value == null) {
                throw new HeaderRuleSyntax.SyntaxException("option '" + key + "' needs a value: " + key + "=" + (key.equals("claim") ? "NAME"
                        : "basic|uri"));
            }
            switch (key) {
                case "claim" -> claim = value;
                case "format" -> format = format(value);
                default -> throw new HeaderRuleSyntax.SyntaxException("unknown option '" + key + "'; the options are claim=NAME,"
                        + " format=basic|uri");
            }
        }
        return new SamlAttribute(name, source, claim, format);
    }

    /** The spec that {@link #parse} reads back as {@code a}. */
    static String format(SamlAttribute a) {
        StringBuilder b = new StringBuilder(HeaderRuleSyntax.escape(String.valueOf(a.name()))).append('=')
                .append(a.source() == null ? "?" : HeaderRuleSyntax.spell(a.source()));
        if (a.claim() != null) {
            b.append(";claim=").append(HeaderRuleSyntax.escape(a.claim()));
        }
        if (a.nameFormat() != SamlAttribute.NameFormat.UNSPECIFIED) {
            b.append(";format=").append(a.nameFormat().name().toLowerCase(Locale.ROOT));
        }
        return b.toString();
    }

    private static SamlAttribute.NameFormat format(String value) throws HeaderRuleSyntax.SyntaxException {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "basic" -> SamlAttribute.NameFormat.BASIC;
            case "uri" -> SamlAttribute.NameFormat.URI;
            case "unspecified" -> SamlAttribute.NameFormat.UNSPECIFIED;
            default -> throw new HeaderRuleSyntax.SyntaxException("unknown format '" + value + "'; the formats are basic, uri, unspecified");
        };
    }
}
